using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Octocom.Dashboard.Data.Sqlite;

/// <summary>
/// Per-connection SQLite settings. WAL itself is persistent in the file (set once by <see cref="DatabaseInitializer"/>);
/// synchronous=NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commits).
/// </summary>
/// Memory-mapped reads (mmap_size) roughly halve the latency of index-heavy analytics queries on large databases.
public sealed class SqlitePragmaInterceptor(IOptions<DatabaseOptions> options) : DbConnectionInterceptor
{
    private readonly string Pragmas =
        $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA mmap_size={Math.Max(0L, options.Value.MmapSizeMb) * 1024 * 1024};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }
}
