using System.Collections.Concurrent;

namespace Octocom.Dashboard.Conversations;

/// <summary>
/// Change notifications for open dashboard circuits and chat-widget long polls, so they update without polling the
/// database. A change is deliberately small — organization, conversation, kind — so an implementation can carry it
/// between instances (PostgreSQL LISTEN/NOTIFY allows 8,000 bytes); subscribers re-read what they show. Callbacks run
/// on the publisher's thread pool, not on the subscriber's context: components call back through <c>InvokeAsync</c>.
/// </summary>
public interface IConversationNotifier
{
    /// <summary>Changes to one conversation (its page, the widget's long poll).</summary>
    IDisposable Subscribe(Guid conversationId, Func<ConversationChange, Task> callback);

    /// <summary>Changes to any conversation of one organization (the team inbox, navigation counts).</summary>
    IDisposable SubscribeOrganization(int organizationId, Func<ConversationChange, Task> callback);

    /// <summary>Call after the change has been committed.</summary>
    void Publish(int organizationId, Guid conversationId, ConversationChangeKind kind);
}

/// <summary>The in-process notifier: one instance serves every circuit of this dashboard process.</summary>
public sealed class ConversationNotifier : IConversationNotifier
{
    private readonly Subscribers<Guid> _byConversation = new();
    private readonly Subscribers<int> _byOrganization = new();

    public IDisposable Subscribe(Guid conversationId, Func<ConversationChange, Task> callback) =>
        _byConversation.Add(conversationId, callback);

    public IDisposable SubscribeOrganization(int organizationId, Func<ConversationChange, Task> callback) =>
        _byOrganization.Add(organizationId, callback);

    public void Publish(int organizationId, Guid conversationId, ConversationChangeKind kind)
    {
        var change = new ConversationChange(organizationId, conversationId, kind);
        _byConversation.Publish(conversationId, change);
        _byOrganization.Publish(organizationId, change);
    }

    /// <summary>Copy-on-write subscriber lists per key: publishing never locks and never sees a half-updated list.</summary>
    private sealed class Subscribers<TKey> where TKey : notnull
    {
        private readonly ConcurrentDictionary<TKey, Subscription[]> _items = new();

        public IDisposable Add(TKey key, Func<ConversationChange, Task> callback)
        {
            var subscription = new Subscription(this, key, callback);
            _items.AddOrUpdate(key, _ => [subscription], (_, s) => [.. s, subscription]);
            return subscription;
        }

        public void Publish(TKey key, ConversationChange change)
        {
            if (!_items.TryGetValue(key, out var subscribers)) return;
            foreach (var subscription in subscribers)
                _ = InvokeSafely(subscription.Callback, change);
        }

        private static async Task InvokeSafely(Func<ConversationChange, Task> callback, ConversationChange change)
        {
            try { await callback(change); }
            catch { /* a disconnected circuit must not break publishers */ }
        }

        private void Remove(Subscription subscription)
        {
            while (_items.TryGetValue(subscription.Key, out var current))
            {
                var next = current.Where(s => s != subscription).ToArray();
                if (next.Length == 0
                    ? _items.TryRemove(new KeyValuePair<TKey, Subscription[]>(subscription.Key, current))
                    : _items.TryUpdate(subscription.Key, next, current))
                    return;
            }
        }

        private sealed class Subscription(Subscribers<TKey> owner, TKey key, Func<ConversationChange, Task> callback) : IDisposable
        {
            public TKey Key { get; } = key;
            public Func<ConversationChange, Task> Callback { get; } = callback;
            public void Dispose() => owner.Remove(this);
        }
    }
}

public enum ConversationChangeKind { Message, Status, Metadata, Tags, Timeline, ScriptRun, Assignment, Read }

public sealed record ConversationChange(int OrganizationId, Guid ConversationId, ConversationChangeKind Kind);
