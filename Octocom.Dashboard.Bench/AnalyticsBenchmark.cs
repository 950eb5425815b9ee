using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Analytics;
using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Data.Seeding;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Bench;

/// <summary>
/// <c>analytics [--size 1000000] [--iterations 20] [--cache DIR] [--fresh] [--mmap MB] [--no-baseline]</c>: seeds --size
/// conversations with 10 metadata pairs each (<see cref="SeededDatabase"/>), then times the analytics
/// service like a request would call it: key = value, three conditions with segments, a numeric range. The baseline runs
/// the same queries inside a transaction that drops the two analytics indexes (rolled back afterwards).
/// </summary>
public sealed class AnalyticsBenchmark : IBenchmark
{
    public string Name => "analytics";
    public string Description => "Metadata filters + segments over --size conversations (default 1,000,000 × 10 metadata pairs)";

    private static readonly string[] AnalyticsIndexes =
    [
        "IX_ConversationMetadata_OrganizationId_Key_Value_ConversationId",
        "IX_ConversationMetadata_OrganizationId_Key_NumericValue_ConversationId",
    ];

    private sealed record Scenario(string Name, AnalyticsQuery Query, bool CountOnly = false);

    public async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var size = context.IntOption("--size", 1_000_000);
        var iterations = context.IntOption("--iterations", 20);
        var mmapMegabytes = context.IntOption("--mmap", (int)new DatabaseOptions().MmapSizeMb);
        var database = await SeededDatabase.EnsureAsync(context, size, ct);
        Console.WriteLine($"database {database} ({new FileInfo(database).Length / 1024.0 / 1024:N0} MB), {Environment.ProcessorCount} cores, " +
                          $"SQLite mmap {(mmapMegabytes > 0 ? mmapMegabytes + " MB" : "off")} (app default {new DatabaseOptions().MmapSizeMb} MB)");

        await using var app = await BenchApp.StartAsync(database, context.WorkDir, mmapMegabytes);
        var organizationId = await app.OrganizationIdAsync("demo");

        Scenario[] scenarios =
        [
            new("key = value, count only (plan = enterprise)", Query([Condition("chat-widget:plan", "eq", "enterprise")]), CountOnly: true),
            new("key = value, count + page 1 (plan = enterprise)", Query([Condition("chat-widget:plan", "eq", "enterprise")])),
            new("3 conditions + segments (plan = enterprise, utm_source = google, store_id = store-07; by locale)",
                Query([Condition("chat-widget:plan", "eq", "enterprise"), Condition("chat-widget:utm_source", "eq", "google"),
                    Condition("chat-widget:store_id", "eq", "store-07")], segment: "chat-widget:locale")),
            new("3 broad conditions + segments (plan in pro|enterprise, loyalty_tier ≠ bronze, cart_value > 100; by utm_source)",
                Query([Condition("chat-widget:plan", "eq", "pro", "enterprise"), Condition("chat-widget:loyalty_tier", "neq", "bronze"),
                    Condition("chat-widget:cart_value", "gt", "100")], segment: "chat-widget:utm_source")),
            new("numeric range, count + page 1 (cart_value between 100 and 200)", Query([Condition("chat-widget:cart_value", "between", "100", "200")])),
            new("numeric buckets (plan = enterprise; by cart_value ranges)",
                Query([Condition("chat-widget:plan", "eq", "enterprise")], segment: "chat-widget:cart_value", buckets: true)),
        ];

        var results = new List<(string Name, int Matches, List<double> Indexed, List<double>? Unindexed)>();
        foreach (var scenario in scenarios)
        {
            var (matches, timings) = await TimeAsync(() => app.ServiceFor<AnalyticsService>(organizationId), scenario, iterations, ct);
            Console.WriteLine($"{scenario.Name}: {matches:N0} matches; {Stats.Summary(timings)}");
            results.Add((scenario.Name, matches, timings, null));
        }

        await KeyListAsync(app, organizationId, ct);
        await CsvExportAsync(app, organizationId, ct);

        if (!context.Args.Contains("--no-baseline"))
        {
            Console.WriteLine("baseline: the same queries without the (Key, Value) and (Key, NumericValue) indexes (dropped inside a rolled-back transaction)");
            await using var unindexed = await UnindexedConnection.OpenAsync(database, mmapMegabytes, ct);
            var baselineIterations = Math.Max(1, Math.Min(3, iterations));
            for (var i = 0; i < scenarios.Length; i++)
            {
                var (matches, timings) = await TimeAsync(() => unindexed.Service(organizationId), scenarios[i], baselineIterations, ct, warmups: 0);
                if (matches != results[i].Matches) throw new InvalidOperationException($"Baseline disagrees: {matches} vs {results[i].Matches}.");
                Console.WriteLine($"  unindexed {scenarios[i].Name}: {Stats.Summary(timings)}; " +
                                  $"ratio ×{Stats.Percentile(timings, 50) / Stats.Percentile(results[i].Indexed, 50):N0}");
                results[i] = results[i] with { Unindexed = timings };
            }
        }

        Console.WriteLine();
        Console.WriteLine($"| Query ({size:N0} conversations, 10 pairs each) | matches | p50 | p95 | unindexed p50 | ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, matches, indexed, baseline) in results)
        {
            var p50 = Stats.Percentile(indexed, 50);
            var baseP50 = baseline is null ? double.NaN : Stats.Percentile(baseline, 50);
            Console.WriteLine($"| {name} | {matches:N0} | {p50:N1} ms | {Stats.Percentile(indexed, 95):N1} ms | " +
                              $"{(baseline is null ? "–" : $"{baseP50:N0} ms")} | {(baseline is null ? "–" : $"×{baseP50 / p50:N0}")} |");
        }
    }

    /// <summary>The builder's key list with counts, uncached (the app caches it per organization for a minute).</summary>
    private static async Task KeyListAsync(BenchApp app, int organizationId, CancellationToken ct)
    {
        var millis = new List<double>();
        var keys = 0;
        for (var i = 0; i < 3; i++)
        {
            var (scope, analytics) = app.ServiceFor<AnalyticsService>(organizationId);
            await using var _ = scope;
            var watch = Stopwatch.StartNew();
            keys = (await analytics.KeysAsync(ct)).Count;
            millis.Add(watch.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"key list with counts ({keys} keys, uncached): {Stats.Summary(millis)}");
    }

    /// <summary>
    /// Streams a large CSV export (cart_value > 545: about 10% of the conversations) to nowhere, sampling the managed
    /// heap as rows go by: constant memory means nothing is buffered.
    /// </summary>
    private static async Task CsvExportAsync(BenchApp app, int organizationId, CancellationToken ct)
    {
        var query = Query([Condition("chat-widget:cart_value", "gt", "545")]);
        var (scope, analytics) = app.ServiceFor<AnalyticsService>(organizationId);
        await using var _ = scope;
        GC.Collect();
        var startHeap = GC.GetTotalMemory(true);
        var peakHeap = startHeap;
        var rows = 0;
        async IAsyncEnumerable<AnalyticsRow> Sampled()
        {
            await foreach (var row in analytics.StreamAsync(query, ct))
            {
                if (++rows % 5_000 == 0) peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                yield return row;
            }
        }
        var watch = Stopwatch.StartNew();
        await Octocom.Dashboard.Analytics.Api.CsvExport.WriteConversationsAsync(Stream.Null, Sampled(), AnalyticsService.ColumnKeys(query), "http://x", ct);
        Console.WriteLine($"CSV export (cart_value > 545): {rows:N0} rows in {watch.Elapsed.TotalSeconds:N1} s " +
                          $"({rows / watch.Elapsed.TotalSeconds:N0} rows/s); managed heap {startHeap / 1048576.0:N0} MB at start, " +
                          $"at most {peakHeap / 1048576.0:N0} MB while streaming");
    }

    private static async Task<(int Matches, List<double> Millis)> TimeAsync(Func<(IAsyncDisposable? Scope, AnalyticsService Service)> service,
        Scenario scenario, int iterations, CancellationToken ct, int warmups = 2)
    {
        var millis = new List<double>();
        var matches = 0;
        for (var i = 0; i < warmups + iterations; i++)
        {
            var (scope, analytics) = service();
            try
            {
                var watch = Stopwatch.StartNew();
                matches = scenario.CountOnly
                    ? await analytics.CountAsync(scenario.Query.Filter, ct)
                    : (await analytics.QueryAsync(scenario.Query, ct)).Total;
                if (i >= warmups) millis.Add(watch.Elapsed.TotalMilliseconds);
            }
            finally
            {
                if (scope is not null) await scope.DisposeAsync();
            }
        }
        return (matches, millis);
    }

    private static AnalyticsQuery Query(MetadataCondition[] conditions, string? segment = null, bool buckets = false) =>
        new() { Filter = new AnalyticsFilter { Conditions = [.. conditions] }, Segment = segment, Buckets = buckets };

    private static MetadataCondition Condition(string key, string op, params string[] values) => new() { Key = key, Operator = op, Values = [.. values] };

    /// <summary>One connection with the analytics indexes dropped in an open transaction; every context shares it.</summary>
    private sealed class UnindexedConnection : IDbContextFactory<DashboardDbContext>, IAsyncDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly DbTransaction _transaction;
        private readonly DbContextOptions<DashboardDbContext> _options;
        private readonly TenantContext _tenant = new();

        private UnindexedConnection(SqliteConnection connection, DbTransaction transaction, int mmapMegabytes)
        {
            _connection = connection;
            _transaction = transaction;
            _options = new DbContextOptionsBuilder<DashboardDbContext>().UseSqlite(connection).Options;
        }

        public static async Task<UnindexedConnection> OpenAsync(string database, int mmapMegabytes, CancellationToken ct)
        {
            var connection = new SqliteConnection($"Data Source={database}");
            await connection.OpenAsync(ct);
            await using (var mmap = connection.CreateCommand())
            {
                mmap.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA mmap_size={(long)mmapMegabytes * 1024 * 1024};");
                await mmap.ExecuteNonQueryAsync(ct);
            }
            var transaction = await connection.BeginTransactionAsync(ct);
            await using var drop = connection.CreateCommand();
            drop.Transaction = (SqliteTransaction)transaction;
            drop.CommandText = string.Concat(AnalyticsIndexes.Select(i => $"DROP INDEX \"{i}\";"));
            await drop.ExecuteNonQueryAsync(ct);
            return new UnindexedConnection(connection, transaction, mmapMegabytes);
        }

        public (IAsyncDisposable?, AnalyticsService) Service(int organizationId)
        {
            _tenant.UseOrganization(organizationId);
            var options = Options.Create(new AnalyticsOptions { KeyListCacheDuration = TimeSpan.Zero });
            return (null, new AnalyticsService(this, options, new MemoryCache(new MemoryCacheOptions()), _tenant));
        }

        public DashboardDbContext CreateDbContext()
        {
            var db = new DashboardDbContext(_options, _tenant, new Octocom.Dashboard.Data.Sqlite.SqliteDialect());
            db.Database.UseTransaction(_transaction);
            return db;
        }

        public async ValueTask DisposeAsync()
        {
            await _transaction.RollbackAsync();
            await _connection.DisposeAsync();
        }
    }
}
