using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Octocom.Dashboard.Data;

/// <summary>
/// Per-connection SQLite settings. WAL itself is persistent in the file (set once by <see cref="DatabaseInitializer"/>);
/// synchronous=NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commits).
/// </summary>
public sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }
}
