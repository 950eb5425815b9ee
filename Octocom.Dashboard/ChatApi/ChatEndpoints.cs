using System.Globalization;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.ChatApi;

/// <summary>
/// The public chat API the website widget calls. No sign-in: starting a chat needs only the business slug, and every
/// later call carries the conversation token (<c>Authorization: Bearer …</c>), which opens that one conversation.
/// Work happens inside <see cref="TenantScopes.Create"/> for the business's organization.
/// </summary>
public static class ChatEndpoints
{
    public const string RoutePrefix = "/api/chat";

    public static IEndpointRouteBuilder MapChatEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(RoutePrefix).WithTags("Public chat API").AllowAnonymous();

        group.MapGet("/{businessSlug}", GetBusinessAsync)
            .WithName("GetChatBusiness")
            .WithSummary("The business's public name, for the widget header.")
            .Produces<ChatBusinessResponse>()
            .ProducesProblems(404);

        group.MapPost("/{businessSlug}/conversations", StartAsync)
            .WithName("StartChat")
            .WithSummary("Start a conversation, optionally with the first message, and the current custom-data map.")
            .WithDescription("Returns the conversation id, public ID and the conversation token (shown once; only its SHA-256 is stored). " +
                "customData keys are the localStorage keys without the 'octocom:data:' prefix; each becomes metadata 'chat-widget:<key>'. " +
                "Keys that break a rule are listed in 'rejected'; everything else is stored.")
            .Accepts<StartChatRequest>("application/json")
            .Produces<StartChatResponse>(StatusCodes.Status201Created)
            .ProducesProblems(400, 403, 404, 413, 429);

        group.MapPost("/{businessSlug}/conversations/{conversationId:guid}/messages", SendAsync)
            .WithName("SendChatMessage")
            .WithSummary("Add a customer message with the current custom-data map (send the whole map on every message).")
            .WithDescription("The message is stored even when some custom data is rejected; 'rejected' lists each key with the rule it broke. " +
                "Keys missing from the map are not deleted. Requires 'Authorization: Bearer <conversation token>'.")
            .Accepts<SendChatMessageRequest>("application/json")
            .Produces<SendChatMessageResponse>()
            .ProducesProblems(400, 401, 403, 404, 413, 429);

        group.MapGet("/{businessSlug}/conversations/{conversationId:guid}/messages", PollAsync)
            .WithName("PollChatMessages")
            .WithSummary("Messages after a cursor (long poll): answers at once when there are some, else waits up to 'wait' seconds.")
            .WithDescription("'after' is the cursor from the previous answer (0 for the whole history); 'wait' is in seconds (longer than ChatApi:PollTimeout is cut to it). " +
                "Requires 'Authorization: Bearer <conversation token>'.")
            .Produces<ChatMessagesResponse>()
            .ProducesProblems(400, 401, 403, 404, 429);

        MapStatusChange(group, "handoff", ConversationStatus.HandedOff, "RequestHumanAgent",
            "The visitor asks for a human agent: the conversation is handed off (conversation_handed_off handlers run).",
            "Asking again is harmless ('changed': false).");
        MapStatusChange(group, "close", ConversationStatus.Closed, "EndChat",
            "The visitor ends the chat: the conversation is closed (conversation_closed handlers run).",
            "A later message reopens it.");

        // Unknown addresses under the chat API answer with a JSON problem too, not the dashboard's HTML page.
        app.Map(RoutePrefix + "/{**path}", () => ChatProblems.ForStatus(StatusCodes.Status404NotFound))
            .ExcludeFromDescription().AllowAnonymous().WithOrder(int.MaxValue);
        return app;
    }

    private static async Task<IResult> GetBusinessAsync(string businessSlug, HttpContext http)
    {
        var business = await BusinessAsync(http, businessSlug);
        return business is null
            ? ChatProblems.UnknownBusiness(businessSlug)
            : Results.Json(new ChatBusinessResponse(business.Slug, business.Name), ChatJsonContext.Default.ChatBusinessResponse);
    }

    private static async Task<IResult> StartAsync(string businessSlug, HttpContext http, TenantScopes scopes,
        IOptions<ChatApiOptions> options, CancellationToken ct)
    {
        var business = await BusinessAsync(http, businessSlug);
        if (business is null) return ChatProblems.UnknownBusiness(businessSlug);
        var (request, error) = await ChatRequestBody.ReadAsync(http.Request, ChatJsonContext.Default.StartChatRequest, options.Value.MaxRequestBodyBytes, ct);
        if (error is not null) return error;
        if (request!.Message is not null && MessageError(request.Message, allowEmpty: true) is { } messageError) return messageError;

        await using var scope = scopes.Create(business.OrganizationId, "chat-widget");
        var chat = scope.ServiceProvider.GetRequiredService<ChatConversationService>();
        var started = await chat.StartAsync(business, new ChatStartInput(
            request.Message,
            (IReadOnlyCollection<KeyValuePair<string, string?>>?)request.CustomData ?? [],
            ToPage(request.Page),
            new ChatVisitor(http.Request.Headers.UserAgent.ToString(), request.Referrer, request.Language ?? FirstLanguage(http))), ct);

        var response = new StartChatResponse(started.ConversationId, started.PublicId, started.Token,
            started.Message is null ? null : ChatMessageDto.From(started.Message), started.Rejected.Select(ChatRejectionDto.From).ToList());
        http.Response.Headers.Location = $"{RoutePrefix}/{business.Slug}/conversations/{started.ConversationId}/messages";
        return Results.Json(response, ChatJsonContext.Default.StartChatResponse, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> SendAsync(string businessSlug, Guid conversationId, HttpContext http, ChatSendQueue queue,
        IOptions<ChatApiOptions> options, CancellationToken ct)
    {
        var business = await BusinessAsync(http, businessSlug);
        if (business is null) return ChatProblems.UnknownBusiness(businessSlug);
        var token = BearerToken(http);
        if (token is null) return ChatProblems.MissingToken();
        var (request, error) = await ChatRequestBody.ReadAsync(http.Request, ChatJsonContext.Default.SendChatMessageRequest, options.Value.MaxRequestBodyBytes, ct);
        if (error is not null) return error;
        if (MessageError(request!.Message, allowEmpty: false) is { } messageError) return messageError;

        // No per-request tenant scope here: the queue stores messages in batches, each inside its organization's scope.
        var sent = await queue.SendAsync(business, conversationId, token,
            new ChatSendInput(request.Message!, (IReadOnlyCollection<KeyValuePair<string, string?>>?)request.CustomData ?? [], ToPage(request.Page)));
        if (sent is null) return ChatProblems.InvalidToken();
        return Results.Json(new SendChatMessageResponse(ChatMessageDto.From(sent.Message), sent.Rejected.Select(ChatRejectionDto.From).ToList()),
            ChatJsonContext.Default.SendChatMessageResponse);
    }

    private static async Task<IResult> PollAsync(string businessSlug, Guid conversationId, string? after, string? wait,
        HttpContext http, TenantScopes scopes, IOptions<ChatApiOptions> options, CancellationToken ct)
    {
        var business = await BusinessAsync(http, businessSlug);
        if (business is null) return ChatProblems.UnknownBusiness(businessSlug);
        var token = BearerToken(http);
        if (token is null) return ChatProblems.MissingToken();
        var maxWait = options.Value.PollTimeout;
        long cursor = 0;
        if (!string.IsNullOrEmpty(after) && (!long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out cursor)))
            return ChatProblems.Problem(StatusCodes.Status400BadRequest, ChatProblems.InvalidQuery, "Invalid cursor",
                "'after' must be a message id (a whole number ≥ 0) from a previous answer's 'cursor'.");
        var waitFor = maxWait;
        if (!string.IsNullOrEmpty(wait))
        {
            if (!double.TryParse(wait, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
                return ChatProblems.Problem(StatusCodes.Status400BadRequest, ChatProblems.InvalidQuery, "Invalid wait",
                    $"'wait' is a number of seconds; longer waits are cut to {maxWait.TotalSeconds:0} (ChatApi:PollTimeout).");
            // A longer wait than the server allows is cut, not refused: widgets keep working when an admin lowers it.
            waitFor = TimeSpan.FromSeconds(Math.Min(seconds, maxWait.TotalSeconds));
        }

        await using var scope = scopes.Create(business.OrganizationId, "chat-widget");
        var chat = scope.ServiceProvider.GetRequiredService<ChatConversationService>();
        ChatMessagesPage? page;
        try
        {
            page = await chat.PollAsync(business, conversationId, token, cursor, waitFor, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Results.Empty; // the visitor left the page
        }
        if (page is null) return ChatProblems.InvalidToken();
        return Results.Json(new ChatMessagesResponse(page.Messages.Select(ChatMessageDto.From).ToList(), page.Cursor, page.HasMore, page.Status.ToWire()),
            ChatJsonContext.Default.ChatMessagesResponse);
    }

    private static void MapStatusChange(RouteGroupBuilder group, string action, ConversationStatus target, string name,
        string summary, string note) =>
        group.MapPost("/{businessSlug}/conversations/{conversationId:guid}/" + action,
                (string businessSlug, Guid conversationId, HttpContext http, TenantScopes scopes, CancellationToken ct) =>
                    ChangeStatusAsync(businessSlug, conversationId, target, http, scopes, ct))
            .WithName(name)
            .WithSummary(summary)
            .WithDescription("Requires 'Authorization: Bearer <conversation token>'. " + note)
            .Produces<ChatStatusResponse>()
            .ProducesProblems(401, 403, 404, 429);

    private static async Task<IResult> ChangeStatusAsync(string businessSlug, Guid conversationId, ConversationStatus target,
        HttpContext http, TenantScopes scopes, CancellationToken ct)
    {
        var business = await BusinessAsync(http, businessSlug);
        if (business is null) return ChatProblems.UnknownBusiness(businessSlug);
        var token = BearerToken(http);
        if (token is null) return ChatProblems.MissingToken();
        await using var scope = scopes.Create(business.OrganizationId, "chat-widget");
        var changed = await scope.ServiceProvider.GetRequiredService<ChatConversationService>()
            .ChangeStatusAsync(business, conversationId, token, target, ct);
        return changed is null
            ? ChatProblems.InvalidToken()
            : Results.Json(new ChatStatusResponse(changed.Status.ToWire(), changed.Changed), ChatJsonContext.Default.ChatStatusResponse);
    }

    private static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder endpoint, params int[] statusCodes)
    {
        foreach (var status in statusCodes) endpoint.ProducesProblem(status);
        return endpoint;
    }

    /// <summary>The business resolved by <see cref="ChatApiMiddleware"/> for this request, or looked up now.</summary>
    private static async ValueTask<PublicBusiness?> BusinessAsync(HttpContext http, string slug) =>
        http.Items.TryGetValue(typeof(PublicBusiness), out var item) && item is PublicBusiness business
            ? business
            : await http.RequestServices.GetRequiredService<PublicBusinessDirectory>().FindAsync(slug, http.RequestAborted);

    /// <summary>The conversation token from "Authorization: Bearer …"; null when absent.</summary>
    public static string? BearerToken(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var token = header["Bearer ".Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    private static IResult? MessageError(string? message, bool allowEmpty)
    {
        var trimmed = message?.Trim() ?? "";
        if (trimmed.Length == 0)
            return allowEmpty ? null : ChatProblems.Problem(StatusCodes.Status400BadRequest, ChatProblems.MessageRequired, "Message required",
                "\"message\" must contain some text. Custom data is sent along with a message.");
        return trimmed.Length > MessageService.MaxContentLength
            ? ChatProblems.Problem(StatusCodes.Status400BadRequest, ChatProblems.MessageTooLong, "Message too long",
                $"A message is limited to {MessageService.MaxContentLength:N0} characters; this one has {trimmed.Length:N0}. Nothing was stored.")
            : null;
    }

    private static ChatPage? ToPage(ChatPageDto? page) => page is null ? null : new ChatPage(page.Url, page.Title);

    private static string? FirstLanguage(HttpContext http)
    {
        var header = http.Request.Headers.AcceptLanguage.ToString();
        var first = header.Split(',', 2)[0].Split(';', 2)[0].Trim();
        return first.Length == 0 ? null : first;
    }
}
