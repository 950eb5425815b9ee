namespace Octocom.Dashboard.Conversations.Inbox;

/// <summary>
/// Collects conversation changes and hands them over in one batch <see cref="Delay"/> after the first one, so a burst
/// (a bulk close, a busy chat) costs one re-query instead of one per change. Changes that arrive while a batch is
/// being handled start the next batch. Hand-written: Rx's Buffer/Throttle would add a dependency for twenty lines.
/// </summary>
public sealed class ChangeBatcher : IDisposable
{
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromMilliseconds(300);

    private readonly Func<IReadOnlyCollection<ConversationChange>, Task> _flush;
    private readonly Lock _lock = new();
    private readonly TimeSpan _delay;
    private List<ConversationChange> _pending = [];
    private bool _scheduled;
    private bool _disposed;

    public ChangeBatcher(Func<IReadOnlyCollection<ConversationChange>, Task> flush, TimeSpan? delay = null)
    {
        _flush = flush;
        _delay = delay ?? DefaultDelay;
    }

    public TimeSpan Delay => _delay;

    public Task AddAsync(ConversationChange change)
    {
        lock (_lock)
        {
            if (_disposed) return Task.CompletedTask;
            _pending.Add(change);
            if (_scheduled) return Task.CompletedTask;
            _scheduled = true;
        }
        _ = FlushLaterAsync();
        return Task.CompletedTask;
    }

    private async Task FlushLaterAsync()
    {
        await Task.Delay(_delay);
        List<ConversationChange> batch;
        lock (_lock)
        {
            batch = _pending;
            _pending = [];
            _scheduled = false;
            if (_disposed || batch.Count == 0) return;
        }
        try { await _flush(batch); }
        catch { /* the subscriber's circuit is gone; nothing to update */ }
    }

    public void Dispose()
    {
        lock (_lock) _disposed = true;
    }
}
