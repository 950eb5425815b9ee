using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Events;

namespace Octocom.Dashboard.Scripting;

/// <summary>
/// Deletes run-log entries older than <see cref="ScriptingOptions.RunRetention"/> and event jobs that finished before
/// then, for every organization, in batches so chat and dashboard writes are never held up for long.
/// </summary>
public sealed class ScriptRunRetention(
    IServiceScopeFactory scopes,
    IOptions<ScriptingOptions> options,
    DatabaseInitializer initializer,
    TimeProvider clock,
    ILogger<ScriptRunRetention> logger) : BackgroundService
{
    public const int BatchSize = 2_000;

    public sealed record SweepResult(int Runs, int Jobs);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.RunRetention <= TimeSpan.Zero || options.Value.RunRetentionSweepInterval <= TimeSpan.Zero) return;
        try
        {
            await initializer.InitializeAsync(stoppingToken);
            using var timer = new PeriodicTimer(options.Value.RunRetentionSweepInterval, clock);
            do
            {
                try
                {
                    var swept = await SweepAsync(stoppingToken);
                    if (swept.Runs + swept.Jobs > 0)
                        logger.LogInformation("Run log: deleted {Runs} runs and {Jobs} finished event jobs older than {Retention}",
                            swept.Runs, swept.Jobs, options.Value.RunRetention);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Deleting expired run-log entries failed; trying again later");
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Deletes everything that has expired now (all organizations).</summary>
    public async Task<SweepResult> SweepAsync(CancellationToken ct)
    {
        var retention = options.Value.RunRetention;
        if (retention <= TimeSpan.Zero) return new SweepResult(0, 0);
        var cutoff = clock.GetUtcNow().UtcDateTime - retention;
        await using var scope = scopes.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<DashboardDbContext>>();
        // Housekeeping across tenants: no tenant in this scope, so the query filters are bypassed on purpose and the
        // only condition is age.
        var runs = await DeleteInBatchesAsync(factory, db => db.ScriptRuns.IgnoreQueryFilters()
            .Where(r => r.StartedAt < cutoff).OrderBy(r => r.Id).Take(BatchSize), ct);
        var jobs = await DeleteInBatchesAsync(factory, db => db.EventJobs.IgnoreQueryFilters()
            .Where(j => (j.Status == EventJobStatus.Succeeded || j.Status == EventJobStatus.Failed) && j.CompletedAt < cutoff)
            .OrderBy(j => j.Id).Take(BatchSize), ct);
        return new SweepResult(runs, jobs);
    }

    private static async Task<int> DeleteInBatchesAsync<T>(IDbContextFactory<DashboardDbContext> factory,
        Func<DashboardDbContext, IQueryable<T>> batch, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var deleted = await batch(db).ExecuteDeleteAsync(ct);
            total += deleted;
            if (deleted < BatchSize) return total;
            await Task.Delay(TimeSpan.FromMilliseconds(50), ct); // let queued writers in between batches
        }
    }
}
