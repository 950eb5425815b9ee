using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Scripting;

namespace Octocom.Dashboard.Events;

/// <summary>
/// The hosted dispatcher: leases due outbox jobs (<see cref="EventJobStore"/>), runs each independently
/// (<see cref="EventJobRunner"/>) with at most <see cref="EventsOptions.Concurrency"/> at once, renews the leases of
/// running jobs, and records each attempt's end. It wakes on <see cref="EventJobSignal"/> (jobs committed in this
/// process, a job finished), at the next retry it scheduled, or every <see cref="EventsOptions.PollInterval"/>.
/// </summary>
/// <remarks>
/// Shutdown: leasing stops at once; running handlers get <see cref="EventsOptions.ShutdownGracePeriod"/> to finish, then
/// they are cancelled and their jobs released (Pending again, the attempt not counted). After a crash or kill -9
/// nothing is released: the jobs stay Running until their lease expires and any dispatcher leases them again. So an
/// event is never lost, but a handler can run twice for it (docs/events.md, "Duplicates").
/// </remarks>
public sealed class EventDispatcher(
    EventJobStore store,
    EventJobRunner runner,
    EventJobSignal signal,
    ConversationNotifier notifier,
    DatabaseInitializer database,
    IOptions<EventsOptions> options,
    IOptions<ScriptingOptions> scripting,
    TimeProvider clock,
    ILogger<EventDispatcher> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, Task> _running = new();
    private CancellationTokenSource _runsCts = new();
    private long _nextRetryTicks = long.MaxValue;
    private volatile bool _stopping;

    /// <summary>Identifies this dispatcher's leases (machine, process, instance).</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    public int Concurrency => options.Value.EffectiveConcurrency(scripting.Value);

    /// <summary>Jobs this dispatcher is running now.</summary>
    public int RunningCount => _running.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogInformation("Event dispatcher disabled (Events:Enabled=false); jobs wait for another instance");
            return;
        }
        await Task.Yield(); // never hold up host start
        try
        {
            await database.InitializeAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        _stopping = false;
        if (_runsCts.IsCancellationRequested) _runsCts = new CancellationTokenSource(); // started again after a stop
        logger.LogInformation("Event dispatcher {Owner} started: {Concurrency} at once, lease {Lease}", Owner, Concurrency, options.Value.LeaseDuration);

        // Leases are renewed until the last running handler has ended, including during the shutdown grace period.
        using var renewal = new CancellationTokenSource();
        var heartbeat = RenewLeasesAsync(renewal.Token);
        try
        {
            await DispatchAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await DrainAsync();
            await renewal.CancelAsync();
            await heartbeat;
        }
    }

    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signal.Next; // taken before looking, so a pulse while leasing is not lost
            var free = Concurrency - _running.Count;
            var leased = 0;
            if (free > 0)
            {
                try
                {
                    var jobs = await store.LeaseAsync(Owner, free, o.LeaseDuration, stoppingToken);
                    foreach (var job in jobs) Start(job);
                    leased = jobs.Count;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Leasing event jobs failed; trying again in {Interval}", o.PollInterval);
                }
            }
            if (leased > 0 && leased == free) continue; // more may be due; the loop waits when all slots are busy

            await WaitAsync(wake, NextWait(o.PollInterval), stoppingToken);
        }
    }

    private void Start(LeasedJob leased)
    {
        // Registered before it can finish (and remove itself).
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _running[leased.Job.Id] = Task.Run(() => RunJobAsync(leased, registered.Task));
        registered.SetResult();
    }

    private async Task RunJobAsync(LeasedJob leased, Task registered)
    {
        await registered;
        var job = leased.Job;
        JobDecision decision;
        try
        {
            decision = await runner.RunAsync(leased, () => _stopping, _runsCts.Token);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Event job {JobId} failed unexpectedly", job.Id);
            decision = new JobDecision.Release();
        }

        try
        {
            if (!await store.FinishAsync(job, Owner, decision))
                logger.LogWarning("Event job {JobId} attempt {Attempt}: the lease was lost before the run ended; its result was not recorded on the job", job.Id, job.Attempts);
            else if (decision is JobDecision.Retry retry)
                NoteRetry(retry.At);
        }
        catch (Exception e)
        {
            // The lease expires and the job is leased again: a duplicate run rather than a lost event.
            logger.LogError(e, "Event job {JobId}: recording the end of attempt {Attempt} failed", job.Id, job.Attempts);
        }
        finally
        {
            _running.TryRemove(job.Id, out _);
            notifier.Publish(job.OrganizationId, job.ConversationId, ConversationChangeKind.ScriptRun);
            signal.Pulse(); // a slot is free
        }
    }

    private void NoteRetry(DateTime at)
    {
        var ticks = at.Ticks;
        long current;
        while (ticks < (current = Interlocked.Read(ref _nextRetryTicks)))
            if (Interlocked.CompareExchange(ref _nextRetryTicks, ticks, current) == current) break;
    }

    /// <summary>The poll interval, or less when a retry this dispatcher scheduled falls due sooner.</summary>
    private TimeSpan NextWait(TimeSpan poll)
    {
        var next = Interlocked.Read(ref _nextRetryTicks);
        if (next == long.MaxValue) return poll;
        var now = clock.GetUtcNow().UtcDateTime;
        var untilRetry = new DateTime(next, DateTimeKind.Utc) - now;
        if (untilRetry > poll) return poll;
        Interlocked.CompareExchange(ref _nextRetryTicks, long.MaxValue, next);
        return untilRetry < TimeSpan.Zero ? TimeSpan.Zero : untilRetry;
    }

    private static async Task WaitAsync(Task wake, TimeSpan timeout, CancellationToken ct)
    {
        if (timeout <= TimeSpan.Zero) return;
        try
        {
            await wake.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>Renews the leases of running jobs every third of the lease, so a run that waited for a worker keeps its job.</summary>
    private async Task RenewLeasesAsync(CancellationToken ct)
    {
        var lease = options.Value.LeaseDuration;
        using var timer = new PeriodicTimer(lease / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var ids = _running.Keys.ToArray();
                if (ids.Length == 0) continue;
                try
                {
                    var held = await store.RenewAsync(Owner, ids, lease, ct);
                    if (held < ids.Length)
                        logger.LogWarning("Event dispatcher {Owner} holds {Held} of the leases of its {Count} running jobs", Owner, held, ids.Length);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Renewing event job leases failed");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Lets running handlers finish within the grace period, then cancels them (their jobs are released).</summary>
    private async Task DrainAsync()
    {
        _stopping = true;
        var running = _running.Values.ToArray();
        if (running.Length == 0) return;
        logger.LogInformation("Event dispatcher stopping: waiting up to {Grace} for {Count} running handler(s)", options.Value.ShutdownGracePeriod, running.Length);
        try
        {
            await Task.WhenAll(running).WaitAsync(options.Value.ShutdownGracePeriod);
        }
        catch (TimeoutException)
        {
            // Renewal has stopped; a lease still held past this point expires on its own.
            await _runsCts.CancelAsync();
            await Task.WhenAll(_running.Values.ToArray());
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _runsCts.Dispose();
    }
}
