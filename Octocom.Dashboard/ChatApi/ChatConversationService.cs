using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.ChatApi;

public sealed record ChatStartInput(string? Message, IReadOnlyCollection<KeyValuePair<string, string?>> CustomData, ChatPage? Page, ChatVisitor Visitor);

public sealed record ChatSendInput(string Message, IReadOnlyCollection<KeyValuePair<string, string?>> CustomData, ChatPage? Page);

public sealed record ChatStarted(Guid ConversationId, string PublicId, string Token, Message? Message, IReadOnlyList<ChatDataRejection> Rejected);

public sealed record ChatSent(Message Message, IReadOnlyList<ChatDataRejection> Rejected);

public sealed record ChatMessagesPage(IReadOnlyList<Message> Messages, long Cursor, bool HasMore, ConversationStatus Status);

/// <summary>
/// The public chat API's work inside the business's tenant scope: start a web conversation (with its first message
/// and custom data in one transaction) and read new messages for the widget (the conversation's token required).
/// Later customer messages go through <see cref="ChatSendQueue"/>.
/// </summary>
public sealed class ChatConversationService(
    IDbContextFactory<DashboardDbContext> dbFactory,
    MessageService messages,
    ChatCustomDataService customData,
    BrowserSessionRecorder sessions,
    ConversationNotifier notifier,
    ChatWriteGate gate,
    ConversationLifecycle lifecycle,
    IOptions<ChatApiOptions> options,
    TimeProvider clock)
{
    public const int MaxSubjectLength = 80;
    public const int PageSize = 100;

    /// <summary>Creates the conversation with its token, browser session, the first message (optional) and custom data.</summary>
    public async Task<ChatStarted> StartAsync(PublicBusiness business, ChatStartInput input, CancellationToken ct = default)
    {
        var token = ChatToken.New();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Conversation conversation;
                Message? message;
                ChatCustomDataResult data;
                using (await gate.EnterAsync(ct))
                {
                    var now = clock.GetUtcNow().UtcDateTime;
                    await using var db = await dbFactory.CreateDbContextAsync(ct);
                    await using var tx = await db.Database.BeginTransactionAsync(ct);
                    conversation = new Conversation
                    {
                        OrganizationId = business.OrganizationId,
                        BusinessId = business.Id,
                        PublicId = PublicIdGenerator.Next(),
                        Subject = SubjectFrom(input.Message),
                        InitialChannel = Channels.Web,
                        LatestChannel = Channels.Web,
                        CreatedAt = now,
                        LastActivityAt = now,
                        ChatTokenHash = ChatToken.Hash(token),
                    };
                    db.Conversations.Add(conversation);
                    db.BrowserSessions.Add(sessions.Start(conversation, input.Visitor, input.Page, now));
                    message = string.IsNullOrWhiteSpace(input.Message) ? null
                        : messages.Stage(db, conversation, MessageSender.Customer, input.Message, Channels.Web);
                    data = await customData.StageAsync(db, conversation, input.CustomData, storedMetadata: [], ct);
                    await db.SaveChangesAsync(ct);
                    await tx.CommitAsync(ct);
                }
                notifier.Publish(conversation.OrganizationId, conversation.Id, ConversationChangeKind.Message);
                return new ChatStarted(conversation.Id, conversation.PublicId, token, message, data.Rejected);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // A public ID collision or a customer created concurrently (unique indexes): the transaction rolled back, try again.
            }
        }
    }

    /// <summary>
    /// Messages after <paramref name="after"/> (a message id; 0 for the whole history), waiting up to
    /// <paramref name="wait"/> for one to arrive when there are none yet. Null when the token does not open this conversation.
    /// </summary>
    public async Task<ChatMessagesPage?> PollAsync(PublicBusiness business, Guid conversationId, string token, long after,
        TimeSpan wait, CancellationToken ct = default)
    {
        if (!await TokenOpensAsync(business, conversationId, token, ct)) return null;

        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Subscribe before reading, so a message committed in between still wakes this poll.
        using var subscription = notifier.Subscribe(conversationId, change =>
        {
            if (change.Kind is ConversationChangeKind.Message or ConversationChangeKind.Status) arrived.TrySetResult();
            return Task.CompletedTask;
        });
        var page = await ReadAfterAsync(conversationId, after, ct);
        if (page.Messages.Count > 0 || wait <= TimeSpan.Zero) return page;
        try { await arrived.Task.WaitAsync(wait, clock, ct); }
        catch (TimeoutException) { return page; }
        return await ReadAfterAsync(conversationId, after, ct);
    }

    /// <summary>
    /// The visitor asks for a human (<see cref="ConversationStatus.HandedOff"/>) or ends the chat
    /// (<see cref="ConversationStatus.Closed"/>), through <see cref="ConversationLifecycle"/> so event handlers fire.
    /// Null when the token does not open this conversation.
    /// </summary>
    public async Task<StatusChangeResult?> ChangeStatusAsync(PublicBusiness business, Guid conversationId, string token,
        ConversationStatus target, CancellationToken ct = default)
    {
        if (!await TokenOpensAsync(business, conversationId, token, ct)) return null;
        return target == ConversationStatus.HandedOff
            ? await lifecycle.HandOffAsync(conversationId, "customer", ct)
            : await lifecycle.CloseAsync(conversationId, "customer", ct);
    }

    private async Task<bool> TokenOpensAsync(PublicBusiness business, Guid conversationId, string token, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var conversation = await db.Conversations.AsNoTracking()
            .Where(c => c.Id == conversationId && c.BusinessId == business.Id)
            .Select(c => new { c.ChatTokenHash, c.LastActivityAt })
            .FirstOrDefaultAsync(ct);
        return conversation is not null && ChatToken.Opens(token, conversation.ChatTokenHash, conversation.LastActivityAt,
            clock.GetUtcNow().UtcDateTime, options.Value.TokenIdleLifetime);
    }

    private async Task<ChatMessagesPage> ReadAfterAsync(Guid conversationId, long after, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var batch = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.Id > after)
            .OrderBy(m => m.Id)
            .Take(PageSize + 1)
            .ToListAsync(ct);
        var status = await db.Conversations.Where(c => c.Id == conversationId).Select(c => c.Status).FirstAsync(ct);
        var hasMore = batch.Count > PageSize;
        if (hasMore) batch.RemoveAt(batch.Count - 1);
        return new ChatMessagesPage(batch, batch.Count > 0 ? batch[^1].Id : after, hasMore, status);
    }

    private static string SubjectFrom(string? message)
    {
        var text = string.Join(' ', (message ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length == 0) return "Web chat";
        return text.Length <= MaxSubjectLength ? text : text[..(MaxSubjectLength - 1)] + "…";
    }
}
