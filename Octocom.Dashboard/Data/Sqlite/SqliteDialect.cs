using System.Data.Common;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Octocom.Dashboard.Data.Sqlite;

/// <summary>SQLite's answers to <see cref="IDatabaseDialect"/> (one file, one writer at a time, WAL).</summary>
public sealed class SqliteDialect : IDatabaseDialect
{
    /// <summary>
    /// ANALYZE every table whose statistics are missing or stale (0x10000: every table, not only those this fresh
    /// connection has queried). No <c>analysis_limit</c>: sampled statistics put the low-cardinality OrganizationId
    /// column at ~500 rows per value instead of millions, and the analytics queries then chose plans 4–10× slower. A full
    /// ANALYZE of 1,000,000 conversations with 10,000,000 metadata rows takes about 5 s and only runs after tenfold growth.
    /// The limit would also stay on the pooled connection and sample every later ANALYZE.
    /// </summary>
    public const string RefreshStatisticsSql = "PRAGMA optimize=0x10002;";

    private const string IsoDatePrefixGlob = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*";

    public Expression<Func<string, bool>> StartsWithIsoDate { get; } = value => EF.Functions.Glob(value, IsoDatePrefixGlob);

    /// <summary>EF Core stores GUIDs as upper-case text on SQLite; ORDER BY compares that text byte by byte.</summary>
    public IComparer<Guid> GuidOrder { get; } = Comparer<Guid>.Create((a, b) =>
        string.CompareOrdinal(a.ToString().ToUpperInvariant(), b.ToString().ToUpperInvariant()));

    public bool HasSingleWriter => true;

    /// <summary>Microsoft.Data.Sqlite begins a non-deferred transaction with <c>BEGIN IMMEDIATE</c>: the write lock first.</summary>
    public Task<IDbContextTransaction> BeginLeaseAsync(DashboardDbContext db, CancellationToken ct) => db.Database.BeginTransactionAsync(ct);

    public IQueryable<T> LockForLease<T>(IQueryable<T> candidates) => candidates;

    /// <summary>
    /// One prepared INSERT, executed per row (synchronously: each call is a short in-process step, and the async path
    /// costs more than the insert). Parameters are created from EF's type mappings, so GUIDs go in as the upper-case
    /// text EF stores and dates in EF's text format.
    /// </summary>
    public async Task BulkInsertAsync<TEntity>(DashboardDbContext db, IReadOnlyCollection<TEntity> entities, CancellationToken ct) where TEntity : class
    {
        if (entities.Count == 0) return;
        var (table, columns) = BulkColumns.For(db, typeof(TEntity));
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = $"INSERT INTO {Quote(table)} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) " +
                                  $"VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
            var parameters = columns.Select((c, i) => AddParameter(command, c, "$p" + i)).ToArray();
            command.Prepare();
            foreach (var entity in entities)
            {
                ct.ThrowIfCancellationRequested();
                for (var i = 0; i < columns.Count; i++) parameters[i].Value = columns[i].ProviderValue(entity) ?? DBNull.Value;
                command.ExecuteNonQuery();
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public Task PrepareAsync(DashboardDbContext db, CancellationToken ct) => db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);

    public Task RefreshStatisticsAsync(DashboardDbContext db, bool everything, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync(everything ? "ANALYZE;" : RefreshStatisticsSql, ct);

    private static DbParameter AddParameter(DbCommand command, BulkColumn column, string name)
    {
        var parameter = column.Mapping.CreateParameter(command, name, null, nullable: true);
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
