using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Notifications;
using Octocom.Dashboard.Scripting;

namespace Octocom.Dashboard.Conversations;

public sealed record StatusChangeResult(bool Changed, ConversationStatus Status, int HandlerJobsQueued);

/// <summary>
/// The one way to close, hand off or reopen a conversation — used by the dashboard, the public chat API and any
/// other code. The status change, its timeline entry and one outbox job per active event handler commit in a
/// single transaction, so an event can never be recorded without its handlers being queued (or vice versa).
/// </summary>
public sealed class ConversationLifecycle(
    IDbContextFactory<DashboardDbContext> dbFactory,
    EventOutbox outbox,
    IConversationNotifier notifier,
    InboxNotifications inboxNotifications,
    TimeProvider clock)
{
    /// <summary>Closing an already-closed conversation is a no-op (no duplicate event).</summary>
    public Task<StatusChangeResult> CloseAsync(Guid conversationId, string actor, CancellationToken ct = default) =>
        ChangeAsync(conversationId, ConversationStatus.Closed, actor, ct);

    /// <summary>Hand the conversation to a human agent; fires conversation_handed_off unless already handed off.</summary>
    public Task<StatusChangeResult> HandOffAsync(Guid conversationId, string actor, CancellationToken ct = default) =>
        ChangeAsync(conversationId, ConversationStatus.HandedOff, actor, ct);

    public Task<StatusChangeResult> ReopenAsync(Guid conversationId, string actor, CancellationToken ct = default) =>
        ChangeAsync(conversationId, ConversationStatus.Open, actor, ct);

    private async Task<StatusChangeResult> ChangeAsync(Guid conversationId, ConversationStatus target, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == conversationId, ct)
            ?? throw new ConversationNotFoundException(conversationId.ToString());
        var result = await StageAsync(db, conversation, target, actor, ct);
        if (!result.Changed) return result;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await PublishAsync(conversation, result, actor);
        return result;
    }

    /// <summary>
    /// Stages a status change on a tracked conversation inside the caller's transaction (e.g. "take handoff", which
    /// assigns and reopens at once). The caller saves, commits and then calls <see cref="PublishAsync"/>.
    /// </summary>
    public async Task<StatusChangeResult> StageAsync(DashboardDbContext db, Conversation conversation, ConversationStatus target,
        string actor, CancellationToken ct)
    {
        if (conversation.Status == target)
            return new StatusChangeResult(false, target, 0);

        var now = clock.GetUtcNow().UtcDateTime;
        conversation.Status = target;
        conversation.LastActivityAt = now;
        var (eventType, description) = target switch
        {
            ConversationStatus.Closed => (EventTypes.ConversationClosed, $"Conversation closed by {actor}"),
            ConversationStatus.HandedOff => (EventTypes.ConversationHandedOff, $"Conversation handed off by {actor}"),
            _ => ("conversation_reopened", $"Conversation reopened by {actor}"),
        };
        if (target == ConversationStatus.Closed) conversation.ClosedAt = now;
        if (target == ConversationStatus.HandedOff) conversation.HandedOffAt = now;

        db.ConversationEvents.Add(new ConversationEvent
        {
            OrganizationId = conversation.OrganizationId,
            ConversationId = conversation.Id,
            Type = eventType,
            Description = description,
            Source = actor,
            CreatedAt = now,
        });
        var jobs = target == ConversationStatus.Open ? 0 : await outbox.StageAsync(db, conversation, eventType, ct);
        return new StatusChangeResult(true, target, jobs);
    }

    /// <summary>After the commit: open pages and inboxes update; agents who asked to hear of handoffs are told.</summary>
    public async Task PublishAsync(Conversation conversation, StatusChangeResult result, string actor)
    {
        if (!result.Changed) return;
        notifier.Publish(conversation.OrganizationId, conversation.Id, ConversationChangeKind.Status);
        if (result.Status == ConversationStatus.HandedOff)
            await inboxNotifications.HandedOffAsync(conversation, actor);
    }
}
