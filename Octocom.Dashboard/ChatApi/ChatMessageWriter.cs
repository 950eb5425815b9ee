using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.ChatApi;

/// <summary>One customer message to store, with the custom-data map that came with it.</summary>
public sealed record ChatSendRequest(PublicBusiness Business, Guid ConversationId, string Token, ChatSendInput Input);

/// <summary>What was stored for one request; null in place of it when the token did not open the conversation.</summary>
/// <param name="AssigneeId">Who owns the conversation (told of the message by a notification), or null.</param>
public sealed record ChatSendOutcome(Message Message, ChatCustomDataResult Data, bool WasClosed, string? AssigneeId = null,
    string PublicId = "", string Subject = "");

/// <summary>
/// Stores customer messages of one organization in one transaction: per message the message itself
/// (<see cref="MessageService.Stage"/>), its custom data and customer link (<see cref="ChatCustomDataService"/>, which
/// writes metadata through <see cref="MetadataService.StageAsync"/>) and the browser-session page. Resolve it in a scope
/// acting for that organization. Requests must name distinct conversations (the queue guarantees it).
/// </summary>
public sealed class ChatMessageWriter(
    IDbContextFactory<DashboardDbContext> dbFactory,
    MessageService messages,
    ChatCustomDataService customData,
    BrowserSessionRecorder sessions,
    IOptions<ChatApiOptions> options,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<ChatSendOutcome?>> WriteAsync(IReadOnlyList<ChatSendRequest> requests, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        // Two queries for the whole batch, not a few per message: the conversations (tracked, with what the rules
        // need) and their metadata (untracked: only the pairs that change get attached and written).
        var ids = requests.Select(r => r.ConversationId).Distinct().ToList();
        var conversations = await db.Conversations.Include(c => c.BrowserSession).Include(c => c.Customer)
            .Where(c => ids.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, ct);
        var metadata = (await db.ConversationMetadata.AsNoTracking()
                .Where(m => ids.Contains(m.ConversationId))
                .ToListAsync(ct))
            .ToLookup(m => m.ConversationId);

        var outcomes = new ChatSendOutcome?[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (!conversations.TryGetValue(request.ConversationId, out var conversation)
                || conversation.BusinessId != request.Business.Id
                || !ChatToken.Opens(request.Token, conversation.ChatTokenHash, conversation.LastActivityAt, now, options.Value.TokenIdleLifetime))
                continue;

            var wasClosed = conversation.Status == ConversationStatus.Closed;
            var message = messages.Stage(db, conversation, MessageSender.Customer, request.Input.Message, Channels.Web);
            var data = await customData.StageAsync(db, conversation, request.Input.CustomData, metadata[conversation.Id].ToList(), ct);
            if (conversation.BrowserSession is null)
                db.BrowserSessions.Add(sessions.Start(conversation, new ChatVisitor(null, null, null), request.Input.Page, now));
            else
                sessions.RecordPage(conversation.BrowserSession, request.Input.Page, now);
            outcomes[i] = new ChatSendOutcome(message, data, wasClosed, conversation.AssigneeId, conversation.PublicId, conversation.Subject);
        }

        if (outcomes.Any(o => o is not null))
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        return outcomes;
    }
}
