using System.Collections.Concurrent;

namespace Octocom.Dashboard.Conversations;

/// <summary>
/// In-process change notifications per conversation (new message, status, metadata), so open dashboard circuits
/// and chat-widget long polls update without polling the database. Subscribers call back on their own context.
/// </summary>
public sealed class ConversationNotifier
{
    private readonly ConcurrentDictionary<Guid, ImmutableSubscribers> _subscribers = new();

    public IDisposable Subscribe(Guid conversationId, Func<ConversationChange, Task> callback)
    {
        var subscription = new Subscription(this, conversationId, callback);
        _subscribers.AddOrUpdate(conversationId, _ => new([subscription]), (_, s) => s.Add(subscription));
        return subscription;
    }

    public void Publish(Guid conversationId, ConversationChangeKind kind)
    {
        if (!_subscribers.TryGetValue(conversationId, out var subscribers)) return;
        var change = new ConversationChange(conversationId, kind);
        foreach (var subscription in subscribers.Items)
            _ = InvokeSafely(subscription, change);
    }

    private static async Task InvokeSafely(Subscription subscription, ConversationChange change)
    {
        try { await subscription.Callback(change); }
        catch { /* a disconnected circuit must not break publishers */ }
    }

    private void Remove(Subscription subscription)
    {
        while (_subscribers.TryGetValue(subscription.ConversationId, out var current))
        {
            var next = current.Remove(subscription);
            if (next.Items.Length == 0
                ? _subscribers.TryRemove(new KeyValuePair<Guid, ImmutableSubscribers>(subscription.ConversationId, current))
                : _subscribers.TryUpdate(subscription.ConversationId, next, current))
                return;
        }
    }

    private sealed record ImmutableSubscribers(Subscription[] Items)
    {
        public ImmutableSubscribers Add(Subscription s) => new([.. Items, s]);
        public ImmutableSubscribers Remove(Subscription s) => new(Items.Where(i => i != s).ToArray());
    }

    private sealed class Subscription(ConversationNotifier owner, Guid conversationId, Func<ConversationChange, Task> callback) : IDisposable
    {
        public Guid ConversationId { get; } = conversationId;
        public Func<ConversationChange, Task> Callback { get; } = callback;
        public void Dispose() => owner.Remove(this);
    }
}

public enum ConversationChangeKind { Message, Status, Metadata, Tags, Timeline, ScriptRun }

public sealed record ConversationChange(Guid ConversationId, ConversationChangeKind Kind);
