using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Octocom.Dashboard.Data;

/// <summary>
/// Refreshes SQLite's query-planner statistics every <see cref="DatabaseOptions.OptimizeInterval"/> (SQLite's advice
/// for long-lived connections): the inbox, metadata and analytics queries pick their indexes from these statistics,
/// and the data grows after the start-up ANALYZE ran. A no-op on other providers.
/// </summary>
public sealed class SqliteOptimizeService(
    IServiceScopeFactory scopes,
    IOptions<DatabaseOptions> options,
    DatabaseInitializer initializer,
    ILogger<SqliteOptimizeService> logger) : BackgroundService
{
    /// <summary>
    /// ANALYZE every table whose statistics are missing or stale (0x10000: every table, not only those this fresh
    /// connection has queried). No <c>analysis_limit</c>: sampled statistics put the low-cardinality OrganizationId
    /// column at ~500 rows per value instead of millions, and the analytics queries then chose plans 4–10× slower. A full
    /// ANALYZE of 1,000,000 conversations with 10,000,000 metadata rows takes about 5 s and only runs after tenfold growth.
    /// The limit would also stay on the pooled connection and sample every later ANALYZE.
    /// </summary>
    public const string RefreshStatisticsSql = "PRAGMA optimize=0x10002;";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.OptimizeInterval;
        if (interval <= TimeSpan.Zero) return;
        try
        {
            await initializer.InitializeAsync(stoppingToken);
            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await TryOptimizeAsync(interval, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping (or disposed without a graceful stop): nothing to finish.
        }
    }

    private async Task TryOptimizeAsync(TimeSpan interval, CancellationToken ct)
    {
        try
        {
            await OptimizeAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "PRAGMA optimize failed; retrying in {Interval}", interval);
        }
    }

    public async Task OptimizeAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<DashboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!db.Database.IsSqlite()) return;
        await db.Database.ExecuteSqlRawAsync(RefreshStatisticsSql, ct);
    }
}
