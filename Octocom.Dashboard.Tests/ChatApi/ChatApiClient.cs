using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Octocom.Dashboard.Tests.ChatApi;

/// <summary>An HttpClient for the public chat API over the real socket, optionally from a chosen loopback address.</summary>
public sealed class ChatApiClient(string baseUrl, string? sourceIp = null) : IDisposable
{
    public HttpClient Http { get; } = new(Handler(sourceIp)) { BaseAddress = new Uri(baseUrl) };

    public sealed record Started(Guid ConversationId, string PublicId, string Token, JsonElement Body);

    public async Task<Started> StartAsync(string slug, object? body = null)
    {
        var response = await Http.PostAsJsonAsync($"/api/chat/{slug}/conversations", body ?? new { message = "Hello" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Started(json.GetProperty("conversationId").GetGuid(), json.GetProperty("publicId").GetString()!,
            json.GetProperty("token").GetString()!, json);
    }

    public Task<HttpResponseMessage> SendAsync(string slug, Guid conversationId, string? token, object body) =>
        SendRawAsync(slug, conversationId, token, JsonSerializer.Serialize(body));

    public Task<HttpResponseMessage> SendRawAsync(string slug, Guid conversationId, string? token, string body, string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/chat/{slug}/conversations/{conversationId}/messages")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (origin is not null) request.Headers.Add("Origin", origin);
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PollAsync(string slug, Guid conversationId, string? token, string query = "after=0&wait=0")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/chat/{slug}/conversations/{conversationId}/messages?{query}");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Http.SendAsync(request);
    }

    /// <summary>POST …/handoff or …/close: the visitor asks for a human or ends the chat.</summary>
    public Task<HttpResponseMessage> ChangeStatusAsync(string slug, Guid conversationId, string? token, string action)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/chat/{slug}/conversations/{conversationId}/{action}");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Http.SendAsync(request);
    }

    /// <summary>Asserts a JSON problem body with the given status and stable code, and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    private static SocketsHttpHandler Handler(string? sourceIp) => new()
    {
        ConnectCallback = sourceIp is null ? null : async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(sourceIp), 0));
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };

    public void Dispose() => Http.Dispose();
}
