namespace Octocom.Dashboard.ChatApi;

/// <summary>
/// Every 4xx of the chat API is an RFC 7807 problem (application/problem+json) with a stable <c>code</c> the widget can
/// branch on, a title, and a detail naming the limit or rule that was broken.
/// </summary>
public static class ChatProblems
{
    public const string BusinessNotFound = "business_not_found";
    public const string TokenRequired = "token_required";
    public const string TokenInvalid = "token_invalid";
    public const string InvalidJson = "invalid_json";
    public const string BodyRequired = "body_required";
    public const string BodyTooLarge = "body_too_large";
    public const string MessageRequired = "message_required";
    public const string MessageTooLong = "message_too_long";
    public const string InvalidQuery = "invalid_query";
    public const string OriginNotAllowed = "origin_not_allowed";
    public const string RateLimited = "rate_limited";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string BadRequest = "bad_request";
    public const string ServerError = "server_error";

    public static IResult Problem(int status, string code, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { ["code"] = code });

    public static IResult UnknownBusiness(string slug) =>
        Problem(StatusCodes.Status404NotFound, BusinessNotFound, "Unknown business",
            $"No business has the slug \"{Shorten(slug)}\". Check the data-business attribute of the embed snippet.");

    public static IResult MissingToken() =>
        Problem(StatusCodes.Status401Unauthorized, TokenRequired, "Conversation token required",
            "Send the token returned when the conversation started as \"Authorization: Bearer <token>\".");

    public static IResult InvalidToken() =>
        Problem(StatusCodes.Status403Forbidden, TokenInvalid, "Token not valid for this conversation",
            "The conversation token does not open this conversation of this business. Start a new conversation.");

    /// <summary>For responses that reached the client without a body (routing 404/405, Kestrel 400/413 …).</summary>
    public static IResult ForStatus(int status) => status switch
    {
        StatusCodes.Status404NotFound => Problem(status, NotFound, "Not found", "There is no chat API endpoint at this address; see /openapi/v1.json."),
        StatusCodes.Status405MethodNotAllowed => Problem(status, MethodNotAllowed, "Method not allowed", "This chat API endpoint does not accept that HTTP method."),
        StatusCodes.Status413PayloadTooLarge => Problem(status, BodyTooLarge, "Request body too large", "The request body is larger than the chat API accepts."),
        _ => Problem(status, status >= 500 ? ServerError : BadRequest, status >= 500 ? "Server error" : "Bad request",
            status >= 500 ? "The request could not be processed; try again." : "The request could not be processed."),
    };

    public static string Shorten(string value) => value.Length > 80 ? value[..80] + "…" : value;
}
