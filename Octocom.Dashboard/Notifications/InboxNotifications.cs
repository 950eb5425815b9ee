using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Notifications;

/// <summary>
/// When the team inbox tells an agent something: a conversation was assigned to them (by someone else), a
/// conversation they own got a customer message, or any conversation was handed off (agents who opted in).
/// Called after the change has been committed; a notification that cannot be stored never undoes the change.
/// </summary>
public sealed class InboxNotifications(INotificationService notifications, TenantContext tenant, ILogger<InboxNotifications> logger)
{
    public Task AssignedAsync(Conversation conversation, string assigneeId, string actorName)
    {
        if (assigneeId == tenant.UserId) return Task.CompletedTask; // "Assign to me" needs no notification
        return SendAsync(assigneeId, new NotificationRequest(NotificationKinds.Assigned,
            $"{actorName} assigned #{conversation.PublicId} to you", conversation.Subject, conversation.Id, Link(conversation)));
    }

    public Task CustomerMessageAsync(Conversation conversation, string preview)
    {
        if (conversation.AssigneeId is not { } assigneeId) return Task.CompletedTask;
        return SendAsync(assigneeId, new NotificationRequest(NotificationKinds.CustomerMessage,
            $"New message in #{conversation.PublicId}: {conversation.Subject}", preview, conversation.Id, Link(conversation), Coalesce: true));
    }

    public async Task HandedOffAsync(Conversation conversation, string actor)
    {
        IReadOnlyList<string> subscribers;
        try { subscribers = await notifications.SubscribersOfAsync(NotificationKinds.HandedOff); }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not look up who wants handoff notifications for {Conversation}", conversation.PublicId);
            return;
        }
        foreach (var userId in subscribers.Where(u => u != tenant.UserId))
            await SendAsync(userId, new NotificationRequest(NotificationKinds.HandedOff,
                $"#{conversation.PublicId} was handed off", $"{conversation.Subject} (by {actor})", conversation.Id, Link(conversation)));
    }

    private async Task SendAsync(string userId, NotificationRequest request)
    {
        try { await notifications.NotifyAsync(userId, request); }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not store a {Kind} notification for user {User}", request.Kind, userId);
        }
    }

    private static string Link(Conversation conversation) => $"/conversations/{conversation.PublicId}";
}
