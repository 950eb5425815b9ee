using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace Octocom.Dashboard.Data;

/// <summary>
/// The few things feature code does differently per database — the one place it asks. Everything else about a
/// provider (connection string, interceptors, migrations assembly, periodic maintenance) is its registration's business
/// (<see cref="Sqlite.SqliteExtensions.AddSqlite"/>). A new provider adds one implementation of this interface next to
/// its registration and edits no feature. Code with a context reads it as <see cref="DashboardDbContext.Dialect"/>;
/// services inject it.
/// </summary>
public interface IDatabaseDialect
{
    /// <summary>
    /// A test on a text column that SQL can run: the value starts with the shape of a calendar date, YYYY-MM-DD (four
    /// digits, dash, two digits, dash, two digits). The analytics date operators use it to keep other values out of a
    /// text range. SQLite: <c>GLOB</c>; PostgreSQL: a regular expression (<c>~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}'</c>).
    /// </summary>
    Expression<Func<string, bool>> StartsWithIsoDate { get; }

    /// <summary>
    /// The order <c>ORDER BY</c> gives a Guid column, so rows sorted in memory come out exactly as SQL sorts them
    /// (SQLite: the upper-case text EF stores; PostgreSQL's <c>uuid</c>: its bytes in textual order).
    /// </summary>
    IComparer<Guid> GuidOrder { get; }

    /// <summary>
    /// The database runs one write transaction at a time (SQLite). Writers that arrive in bursts (the chat API) then
    /// queue in-process, where waiting is cheap, instead of in the database's busy handler; databases with row locks
    /// (PostgreSQL) need no such queue.
    /// </summary>
    bool HasSingleWriter { get; }

    /// <summary>
    /// Begins the transaction in which due outbox jobs are read, leased and read back, so that two dispatchers
    /// (threads or instances) never lease the same job. SQLite: <c>BEGIN IMMEDIATE</c> — the database's one write lock,
    /// taken before the read. PostgreSQL: READ COMMITTED, the candidate read locked by <see cref="LockForLease{T}"/>.
    /// </summary>
    Task<IDbContextTransaction> BeginLeaseAsync(DashboardDbContext db, CancellationToken ct);

    /// <summary>
    /// The candidate read inside <see cref="BeginLeaseAsync"/>, as this database must run it for leases to exclude each
    /// other. SQLite: unchanged (the transaction already holds the write lock). PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>
    /// (for instance a query tag that a command interceptor appends the clause for), so instances skip each other's
    /// candidates instead of waiting on them.
    /// </summary>
    IQueryable<T> LockForLease<T>(IQueryable<T> candidates);

    /// <summary>
    /// Inserts many new entities of one type in the context's current transaction without change tracking (bulk
    /// seeding: millions of rows). Every mapped column is written as EF would write it (<see cref="BulkColumns"/>);
    /// identity keys are left to the database. SQLite: one prepared INSERT per row; PostgreSQL: binary <c>COPY</c>.
    /// </summary>
    Task BulkInsertAsync<TEntity>(DashboardDbContext db, IReadOnlyCollection<TEntity> entities, CancellationToken ct) where TEntity : class;

    /// <summary>Run on every start before migrations (SQLite: switch the file to WAL, which then persists).</summary>
    Task PrepareAsync(DashboardDbContext db, CancellationToken ct);

    /// <summary>
    /// Refreshes the query planner's statistics, from which the inbox, metadata and analytics queries pick their
    /// indexes. <paramref name="everything"/>: every table, now (after a bulk load); otherwise only what is stale
    /// (cheap enough to run periodically). SQLite: <c>ANALYZE</c> / <c>PRAGMA optimize</c>; PostgreSQL: <c>ANALYZE</c>.
    /// </summary>
    Task RefreshStatisticsAsync(DashboardDbContext db, bool everything, CancellationToken ct);
}
