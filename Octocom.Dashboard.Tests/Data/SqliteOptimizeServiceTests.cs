using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Data;

public sealed class SqliteOptimizeServiceTests
{
    [Fact]
    public async Task Optimize_RefreshesStatisticsOfATableThatGrewAfterStartUp()
    {
        await using var app = await TestApp.CreateAsync(demoData: true, demoConversations: 10);
        var analyzedRows = await AnalyzedRowCountAsync(app, "Messages");
        Assert.True(analyzedRows > 0, "the start-up ANALYZE should have recorded the Messages table");
        for (var i = 0; i < 5; i++) // ×32: far past the tenfold growth after which SQLite re-analyzes
            await ExecuteAsync(app, """
                INSERT INTO Messages (OrganizationId, ConversationId, Sender, Content, Channel, Timestamp, AuthorName)
                SELECT OrganizationId, ConversationId, Sender, Content, Channel, Timestamp, AuthorName FROM Messages;
                """);

        await app.Services.GetRequiredService<SqliteOptimizeService>().OptimizeAsync(CancellationToken.None);

        Assert.Equal(analyzedRows * 32, await AnalyzedRowCountAsync(app, "Messages"));
    }

    /// <summary>The row count ANALYZE last recorded for <paramref name="table"/> (first figure of its stat1 rows).</summary>
    private static async Task<long> AnalyzedRowCountAsync(TestApp app, string table)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT stat FROM sqlite_stat1 WHERE tbl = $table LIMIT 1";
        command.Parameters.AddWithValue("$table", table);
        return await command.ExecuteScalarAsync() is string stat ? long.Parse(stat.Split(' ')[0]) : 0;
    }

    private static async Task ExecuteAsync(TestApp app, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
