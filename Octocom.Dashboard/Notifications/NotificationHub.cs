using System.Collections.Concurrent;

namespace Octocom.Dashboard.Notifications;

/// <summary>A notification as it is pushed to the agent's open circuits, with how the agent wants to be told.</summary>
public sealed record NotificationPush(long Id, string Kind, string Title, string? Body, string? Link, bool Browser, bool Sound);

/// <summary>
/// In-process push of new notifications to the recipient's open circuits, keyed by (organization, user) so a push can
/// never reach another organization's circuit. Per instance: with several instances a circuit on another instance
/// sees the notification when its bell reloads (see docs/inbox.md).
/// </summary>
public sealed class NotificationHub
{
    private readonly ConcurrentDictionary<(int Org, string User), Func<NotificationPush, Task>[]> _subscribers = new();

    public IDisposable Subscribe(int organizationId, string userId, Func<NotificationPush, Task> callback)
    {
        var key = (organizationId, userId);
        _subscribers.AddOrUpdate(key, _ => [callback], (_, s) => [.. s, callback]);
        return new Subscription(() =>
        {
            while (_subscribers.TryGetValue(key, out var current))
            {
                var next = current.Where(c => c != callback).ToArray();
                if (next.Length == 0
                    ? _subscribers.TryRemove(new KeyValuePair<(int, string), Func<NotificationPush, Task>[]>(key, current))
                    : _subscribers.TryUpdate(key, next, current))
                    return;
            }
        });
    }

    public void Publish(int organizationId, string userId, NotificationPush push)
    {
        if (!_subscribers.TryGetValue((organizationId, userId), out var callbacks)) return;
        foreach (var callback in callbacks) _ = InvokeSafely(callback, push);
    }

    private static async Task InvokeSafely(Func<NotificationPush, Task> callback, NotificationPush push)
    {
        try { await callback(push); }
        catch { /* a closed circuit must not break the sender */ }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;
        public void Dispose() { if (Interlocked.Exchange(ref _disposed, 1) == 0) dispose(); }
    }
}
