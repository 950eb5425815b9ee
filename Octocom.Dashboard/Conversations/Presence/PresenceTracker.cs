using System.Collections.Concurrent;

namespace Octocom.Dashboard.Conversations.Presence;

/// <summary>One agent on one conversation page.</summary>
public sealed record PresentAgent(string UserId, string DisplayName, bool IsTyping);

/// <summary>
/// Who has a conversation open, and who is typing, so two agents do not answer twice. Kept in memory per instance
/// (presence is about open circuits, which live on one instance), keyed by (organization, conversation): a viewer is
/// only ever shown to circuits of the same organization. Typing expires after <see cref="TypingTimeout"/> without a keystroke.
/// </summary>
public sealed class PresenceTracker(TimeProvider clock)
{
    public static readonly TimeSpan TypingTimeout = TimeSpan.FromSeconds(6);

    private readonly ConcurrentDictionary<(int Org, Guid Conversation), Room> _rooms = new();

    /// <summary>Marks the agent as viewing until the returned handle is disposed (one handle per open page).</summary>
    public PresenceHandle Join(int organizationId, Guid conversationId, string userId, string displayName)
    {
        var room = _rooms.GetOrAdd((organizationId, conversationId), key => new Room(key));
        var handle = new PresenceHandle(this, room, userId, displayName);
        room.Add(handle);
        Changed(room);
        return handle;
    }

    /// <summary>Everyone on the conversation now (one entry per user, typing if any of their pages is).</summary>
    public IReadOnlyList<PresentAgent> Present(int organizationId, Guid conversationId)
    {
        if (!_rooms.TryGetValue((organizationId, conversationId), out var room)) return [];
        var now = clock.GetUtcNow();
        return room.Handles()
            .GroupBy(h => h.UserId)
            .Select(g => new PresentAgent(g.Key, g.First().DisplayName, g.Any(h => h.TypingUntil > now)))
            .OrderBy(a => a.DisplayName, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Called (on the thread pool) whenever someone joins, leaves, starts or stops typing.</summary>
    public IDisposable Subscribe(int organizationId, Guid conversationId, Func<Task> callback)
    {
        var room = _rooms.GetOrAdd((organizationId, conversationId), key => new Room(key));
        room.Watch(callback);
        return new Unsubscriber(() => { room.Unwatch(callback); Cleanup(room); });
    }

    internal void Typing(Room room, PresenceHandle handle)
    {
        var wasTyping = handle.TypingUntil > clock.GetUtcNow();
        handle.TypingUntil = clock.GetUtcNow() + TypingTimeout;
        if (wasTyping) return;
        Changed(room);
        // Tell the others again once the typing indicator has run out.
        _ = Task.Delay(TypingTimeout + TimeSpan.FromMilliseconds(100)).ContinueWith(_ => Changed(room), TaskScheduler.Default);
    }

    internal void StopTyping(Room room, PresenceHandle handle)
    {
        handle.TypingUntil = DateTimeOffset.MinValue;
        Changed(room);
    }

    internal void Leave(Room room, PresenceHandle handle)
    {
        room.Remove(handle);
        Changed(room);
        Cleanup(room);
    }

    private void Cleanup(Room room)
    {
        if (room.IsEmpty) _rooms.TryRemove(new KeyValuePair<(int, Guid), Room>(room.Key, room));
    }

    private static void Changed(Room room)
    {
        foreach (var callback in room.Watchers())
            _ = InvokeSafely(callback);
    }

    private static async Task InvokeSafely(Func<Task> callback)
    {
        try { await callback(); }
        catch { /* a closed circuit must not break the others */ }
    }

    internal sealed class Room((int, Guid) key)
    {
        private readonly Lock _lock = new();
        private readonly List<PresenceHandle> _handles = [];
        private readonly List<Func<Task>> _watchers = [];
        public (int, Guid) Key { get; } = key;

        public void Add(PresenceHandle h) { lock (_lock) _handles.Add(h); }
        public void Remove(PresenceHandle h) { lock (_lock) _handles.Remove(h); }
        public void Watch(Func<Task> w) { lock (_lock) _watchers.Add(w); }
        public void Unwatch(Func<Task> w) { lock (_lock) _watchers.Remove(w); }
        public PresenceHandle[] Handles() { lock (_lock) return [.. _handles]; }
        public Func<Task>[] Watchers() { lock (_lock) return [.. _watchers]; }
        public bool IsEmpty { get { lock (_lock) return _handles.Count == 0 && _watchers.Count == 0; } }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private int _done;
        public void Dispose() { if (Interlocked.Exchange(ref _done, 1) == 0) dispose(); }
    }
}

/// <summary>One open conversation page: report keystrokes with <see cref="Typing"/>, dispose when the page closes.</summary>
public sealed class PresenceHandle : IDisposable
{
    private readonly PresenceTracker _owner;
    private readonly PresenceTracker.Room _room;
    private int _disposed;

    internal PresenceHandle(PresenceTracker owner, PresenceTracker.Room room, string userId, string displayName)
    {
        _owner = owner;
        _room = room;
        UserId = userId;
        DisplayName = displayName;
    }

    public string UserId { get; }
    public string DisplayName { get; }
    internal DateTimeOffset TypingUntil { get; set; } = DateTimeOffset.MinValue;

    public void Typing() { if (_disposed == 0) _owner.Typing(_room, this); }
    public void StopTyping() { if (_disposed == 0) _owner.StopTyping(_room, this); }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _owner.Leave(_room, this);
    }
}
