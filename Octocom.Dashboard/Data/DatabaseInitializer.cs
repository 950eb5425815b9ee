using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Data.Seeding;

namespace Octocom.Dashboard.Data;

/// <summary>
/// Prepares the database (SQLite: WAL), applies migrations, seeds demo data and refreshes the planner's statistics —
/// before the server accepts requests.
/// </summary>
public sealed class DatabaseInitializer(
    IServiceScopeFactory scopes,
    IOptions<DatabaseOptions> options,
    IDatabaseDialect dialect,
    Search.IConversationSearchIndex searchIndex,
    DemoDataSeeder demoSeeder,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _done;

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_done) return;
            await using var scope = scopes.CreateAsyncScope();
            var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<DashboardDbContext>>();
            await using (var db = await factory.CreateDbContextAsync(ct))
            {
                await dialect.PrepareAsync(db, ct);
                if (options.Value.MigrateOnStart)
                {
                    var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
                    if (pending.Count > 0)
                    {
                        logger.LogInformation("Applying {Count} migration(s): {Names}", pending.Count, string.Join(", ", pending));
                        await db.Database.MigrateAsync(ct);
                    }
                }
            }
            await demoSeeder.SeedIfEmptyAsync(ct);
            // Query-planner statistics. Without them SQLite prefers the (OrganizationId, …) tenant indexes to the
            // per-conversation ones and scans a whole organization's rows to read one conversation's metadata or messages.
            await using (var db = await factory.CreateDbContextAsync(ct))
            {
                // The inbox's full-text index (created, or rebuilt if a migration dropped its triggers).
                await searchIndex.EnsureAsync(db, ct);
                await dialect.RefreshStatisticsAsync(db, everything: false, ct);
            }
            _done = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => InitializeAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
