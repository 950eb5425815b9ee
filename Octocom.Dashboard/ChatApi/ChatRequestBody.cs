using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;

namespace Octocom.Dashboard.ChatApi;

/// <summary>
/// Reads a JSON request body with a size limit and turns every failure into a clear problem: 413 naming the limit,
/// 400 for an empty body, 400 with the parser's position for invalid JSON.
/// </summary>
public static class ChatRequestBody
{
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, int maxBytes,
        CancellationToken ct) where T : class
    {
        if (request.ContentLength > maxBytes) return (null, TooLarge(maxBytes));
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false }) sizeFeature.MaxRequestBodySize = maxBytes;

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 16 * 1024, maxBytes) + 1);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes) return (null, TooLarge(maxBytes));
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0) break;
                length += read;
                if (length > maxBytes) return (null, TooLarge(maxBytes));
            }
            if (length == 0 || buffer.AsSpan(0, length).Trim(" \t\r\n"u8).IsEmpty)
                return (null, ChatProblems.Problem(StatusCodes.Status400BadRequest, ChatProblems.BodyRequired, "Request body required",
                    "Send a JSON object, e.g. {\"message\": \"Hi\", \"customData\": {\"plan\": \"premium\"}}."));
            try
            {
                var value = JsonSerializer.Deserialize(buffer.AsSpan(0, length), type);
                return value is null
                    ? (null, ChatProblems.Problem(StatusCodes.Status400BadRequest, ChatProblems.InvalidJson, "Invalid JSON", "The request body must be a JSON object, not null."))
                    : (value, null);
            }
            catch (JsonException ex)
            {
                return (null, ChatProblems.Problem(StatusCodes.Status400BadRequest, ChatProblems.InvalidJson, "Invalid JSON",
                    $"The request body is not valid JSON for this endpoint: {ex.Message}"));
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBytes));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IResult TooLarge(int maxBytes) =>
        ChatProblems.Problem(StatusCodes.Status413PayloadTooLarge, ChatProblems.BodyTooLarge, "Request body too large",
            $"The request body is limited to {maxBytes:N0} bytes (ChatApi:MaxRequestBodyBytes). Send less custom data: values are limited to 50,000 characters and conversations to 200 pairs.");
}
