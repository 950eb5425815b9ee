using System.Threading.Channels;

namespace Octocom.Dashboard.Scripting.Engine;

/// <summary>
/// A bounded set of warm workers. A run leases one (waiting, cancellably, while all are busy); afterwards the worker
/// goes back once its next run process is ready, or is stopped and replaced when it broke a limit, crashed, timed out
/// or reached <see cref="ScriptingOptions.MaxRunsPerWorker"/>. Replacements start in the background so the pool stays warm.
/// </summary>
public sealed class WorkerPool : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);

    private readonly WorkerLaunchPlan _plan;
    private readonly string _hostSource;
    private readonly UidAllocator _uids;
    private readonly ScriptingOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<PythonWorker> _idle = Channel.CreateUnbounded<PythonWorker>();
    private readonly SemaphoreSlim _slots;
    private readonly HashSet<PythonWorker> _all = [];
    private readonly CancellationTokenSource _shutdown = new();
    private int _alive;
    private int _started;
    private bool _disposed;

    public WorkerPool(WorkerLaunchPlan plan, string hostSource, UidAllocator uids, ScriptingOptions options, ILogger logger)
    {
        _plan = plan;
        _hostSource = hostSource;
        _uids = uids;
        _options = options;
        _logger = logger;
        Size = options.EffectivePoolSize;
        _slots = new SemaphoreSlim(Size, Size);
    }

    public int Size { get; }
    public int Alive => Volatile.Read(ref _alive);
    /// <summary>Workers started since the pool was created (replacements included).</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>The dashboard-side process ids of the current workers (the outermost wrapper of each).</summary>
    public IReadOnlyList<int> ProcessIds
    {
        get { lock (_all) return _all.Select(w => w.ProcessId).ToList(); }
    }

    /// <summary>Starts workers until the pool is full (in the background; failures are logged).</summary>
    public void WarmUp()
    {
        for (var i = Alive; i < Size; i++) _ = SpawnIdleAsync();
    }

    /// <summary>Waits for a free slot and returns a ready worker (starting one if none is idle).</summary>
    /// <exception cref="WorkerStartException">No worker could be started.</exception>
    public async Task<PythonWorker> RentAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(ct);
        try
        {
            while (true)
            {
                while (_idle.Reader.TryRead(out var idle))
                {
                    if (idle.IsAlive) return idle;
                    _ = RetireAsync(idle);
                }
                if (TryReserve())
                {
                    try { return await StartAsync(ct); }
                    catch { Interlocked.Decrement(ref _alive); throw; }
                }
                // Every worker is starting or being handed back: wait for one (re-checking in case a start failed).
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(TimeSpan.FromMilliseconds(100));
                try { await _idle.Reader.WaitToReadAsync(wait.Token); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
            }
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>
    /// Hands a worker back after a run. <paramref name="recycle"/>: stop it and start a replacement. Otherwise it
    /// returns to the idle set once it reports that its next run process is ready.
    /// </summary>
    public void Return(PythonWorker worker, bool recycle)
    {
        _slots.Release();
        _ = ReturnAsync(worker, recycle);
    }

    private async Task ReturnAsync(PythonWorker worker, bool recycle)
    {
        try
        {
            if (!recycle && worker.IsAlive && worker.Runs < _options.MaxRunsPerWorker && !_disposed)
            {
                var exit = await worker.WaitUntilReadyAsync(ReadyTimeout);
                if (exit is { Clean: true } && worker.IsAlive)
                {
                    _idle.Writer.TryWrite(worker);
                    return;
                }
            }
            await RetireAsync(worker);
            if (!_disposed) await SpawnIdleAsync();
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Returning Python worker {Worker} to the pool failed", worker.Id);
        }
    }

    private async Task SpawnIdleAsync()
    {
        if (!TryReserve()) return;
        try
        {
            var worker = await StartAsync(_shutdown.Token);
            _idle.Writer.TryWrite(worker);
        }
        catch (Exception e)
        {
            Interlocked.Decrement(ref _alive);
            if (!_disposed) _logger.LogWarning("Starting a Python worker failed: {Reason}", e.Message);
        }
    }

    private bool TryReserve()
    {
        while (true)
        {
            var alive = Volatile.Read(ref _alive);
            if (alive >= Size || _disposed) return false;
            if (Interlocked.CompareExchange(ref _alive, alive + 1, alive) == alive) return true;
        }
    }

    private async Task<PythonWorker> StartAsync(CancellationToken ct)
    {
        var worker = await PythonWorker.StartAsync(_plan, _hostSource, _plan.DropsUid ? _uids.Next() : null, _logger, StartTimeout, ct);
        if (_disposed)
        {
            await worker.DisposeAsync();
            throw new ObjectDisposedException(nameof(WorkerPool));
        }
        lock (_all) _all.Add(worker);
        Interlocked.Increment(ref _started);
        return worker;
    }

    private async Task RetireAsync(PythonWorker worker)
    {
        Forget(worker);
        await worker.StopAsync(_options.KillGracePeriod);
        await worker.DisposeAsync();
    }

    private void Forget(PythonWorker worker)
    {
        lock (_all)
        {
            if (_all.Remove(worker)) Interlocked.Decrement(ref _alive);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        _shutdown.Cancel();
        _idle.Writer.TryComplete();
        PythonWorker[] workers;
        lock (_all) workers = [.. _all];
        await Task.WhenAll(workers.Select(w => RetireAsync(w)));
        _shutdown.Dispose();
    }
}
