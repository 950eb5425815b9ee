using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Data.Sqlite;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Data.Sqlite;

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

    [Fact]
    public async Task StartUpStatistics_AreExactNotSampled()
    {
        // Sampled statistics (PRAGMA analysis_limit) once estimated ~500 metadata rows per organization instead of all of
        // them, and the analytics queries picked plans 4–10× slower at a million conversations.
        await using var app = await TestApp.CreateAsync(demoData: true, demoConversations: 300);
        var stat = (await StatAsync(app, "IX_ConversationMetadata_OrganizationId_Key_Value_ConversationId")).Split(' ');
        var (rows, perOrganization) = (long.Parse(stat[0]), long.Parse(stat[1]));

        Assert.True(rows > 2_000, $"the demo data should be larger than a sample; {rows} metadata rows");
        Assert.True(perOrganization >= rows / 3, $"{perOrganization} rows per organization estimated out of {rows} in two organizations");
    }

    /// <summary>The statistics line ANALYZE recorded for one index ("rows rows-per-first-column …").</summary>
    private static async Task<string> StatAsync(TestApp app, string index) =>
        (string)(await QueryAsync(app, "SELECT stat FROM sqlite_stat1 WHERE idx = $p", index))!;

    /// <summary>The row count ANALYZE last recorded for <paramref name="table"/> (first figure of its stat1 rows).</summary>
    private static async Task<long> AnalyzedRowCountAsync(TestApp app, string table) =>
        await QueryAsync(app, "SELECT stat FROM sqlite_stat1 WHERE tbl = $p LIMIT 1", table) is string stat ? long.Parse(stat.Split(' ')[0]) : 0;

    private static Task ExecuteAsync(TestApp app, string sql) => QueryAsync(app, sql, null);

    /// <summary>Runs SQL on a connection of its own (outside the app's pool) and returns the first value, if any.</summary>
    private static async Task<object?> QueryAsync(TestApp app, string sql, string? parameter)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (parameter is not null) command.Parameters.AddWithValue("$p", parameter);
        return await command.ExecuteScalarAsync();
    }
}
