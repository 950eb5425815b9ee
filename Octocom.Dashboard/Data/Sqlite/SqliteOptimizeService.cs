using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Octocom.Dashboard.Data.Sqlite;

/// <summary>
/// Refreshes SQLite's query-planner statistics every <see cref="DatabaseOptions.OptimizeInterval"/> (SQLite's advice
/// for long-lived connections): the inbox, metadata and analytics queries pick their indexes from these statistics,
/// and the data grows after the start-up ANALYZE ran. Registered by <see cref="SqliteExtensions.AddSqlite"/>.
/// </summary>
public sealed class SqliteOptimizeService(
    IServiceScopeFactory scopes,
    IOptions<DatabaseOptions> options,
    DatabaseInitializer initializer,
    IDatabaseDialect dialect,
    ILogger<SqliteOptimizeService> logger) : BackgroundService
{
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
        await dialect.RefreshStatisticsAsync(db, everything: false, ct);
    }
}
