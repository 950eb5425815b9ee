using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Metadata;
using Octocom.Dashboard.Shared;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Data.Sqlite;

/// <summary>SQLite's <see cref="IDatabaseDialect"/> against a real, migrated SQLite file: each answer is checked against what SQLite does.</summary>
public sealed class SqliteDialectTests : TwoTenantTest
{
    [Fact]
    public async Task GuidOrder_IsTheOrderSqlSortsIdsIn()
    {
        for (var i = 0; i < 40; i++) await App.CreateConversationAsync(Acme);
        await using var scope = App.ScopeFor(Acme.OrganizationId);
        await using var db = scope.Db();

        var inSql = await db.Conversations.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync();

        Assert.Equal(40, inSql.Count);
        Assert.Equal(inSql, inSql.OrderBy(id => id.ToString("N")[5]).ThenBy(id => id).Order(db.Dialect.GuidOrder));
        Assert.NotEqual(inSql, inSql.OrderBy(id => id.ToString("N")[5])); // the comparison above started from another order
    }

    [Fact]
    public async Task StartsWithIsoDate_MatchesValuesThatBeginWithADate()
    {
        string[] values = ["2025-04-15", "2025-04-15T10:30:00Z", "1999-12-31 late", "2025-4-15", "x2025-04-15", "abcd-ef-gh", "2025/04/15", ""];
        var conversation = await App.CreateConversationAsync(Acme,
            metadata: values.Select((v, i) => (Key: $"k{i}", Value: v)).ToDictionary(p => p.Key, p => p.Value));
        await using var scope = App.ScopeFor(Acme.OrganizationId);
        await using var db = scope.Db();

        var matching = await db.ConversationMetadata
            .Where(m => m.ConversationId == conversation.Id)
            .Where(db.Dialect.StartsWithIsoDate.On<ConversationMetadata>(m => m.Value))
            .Select(m => m.Value).ToListAsync();

        Assert.Equal(["1999-12-31 late", "2025-04-15", "2025-04-15T10:30:00Z"], matching.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("jacket", "Refund for JACKET")]
    [InlineData("0%", "100% wool")]
    [InlineData("a_b", "a_b")]
    [InlineData("c\\d", "c\\d")]
    public async Task ContainsText_IgnoresCaseAndTakesWildcardsLiterally(string term, string onlyMatch)
    {
        foreach (var subject in new[] { "Refund for JACKET", "Refund for a coat", "100% wool", "100 wool", "a_b", "axb", "c\\d", "cd" })
            await App.CreateConversationAsync(Acme, subject: subject);
        await using var scope = App.ScopeFor(Acme.OrganizationId);
        await using var db = scope.Db();

        var found = await db.Conversations.Where(db.Dialect.ContainsText(term).On<Conversation>(c => c.Subject)).Select(c => c.Subject).ToListAsync();

        Assert.Equal([onlyMatch], found);
    }

    /// <summary>Bulk-written rows are stored exactly as EF stores the same entity (GUID text, date text, enum wire names).</summary>
    [Fact]
    public async Task BulkInsert_StoresEachColumnAsEfDoes()
    {
        var saved = await App.CreateConversationAsync(Acme, "EFROW1", customer: new Customer { Email = "ef@example.com" },
            metadata: new Dictionary<string, string> { ["cart"] = "12.5" }, status: ConversationStatus.HandedOff);
        var customer = new Customer { OrganizationId = Acme.OrganizationId, Email = "bulk@example.com", Name = "Bulk" };
        var bulk = new Conversation
        {
            OrganizationId = Acme.OrganizationId, BusinessId = Acme.BusinessId, PublicId = "BULK01", Subject = "Bulk", CustomerId = customer.Id,
            Status = ConversationStatus.HandedOff, InitialChannel = Channels.Web, LatestChannel = Channels.Web, MessageCount = 1,
            // Like the saved one, whose customer message sets the inbox's unread and waiting times.
            LastCustomerMessageAt = DateTime.UtcNow, WaitingSince = DateTime.UtcNow,
        };
        await using (var scope = App.ScopeFor(Acme.OrganizationId))
        await using (var db = scope.Db())
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await db.Dialect.BulkInsertAsync(db, [customer], default);
            await db.Dialect.BulkInsertAsync(db, [bulk], default);
            await db.Dialect.BulkInsertAsync(db, [new Message { OrganizationId = Acme.OrganizationId, ConversationId = bulk.Id, Sender = MessageSender.Bot, Content = "Hi" }], default);
            await db.Dialect.BulkInsertAsync(db, [new ConversationMetadata
            {
                OrganizationId = Acme.OrganizationId, ConversationId = bulk.Id, Key = "cart", Value = "12.5", NumericValue = 12.5,
            }], default);
            await tx.CommitAsync();
        }

        Assert.Equal(await StorageAsync("Conversations", "Id", saved.Id), await StorageAsync("Conversations", "Id", bulk.Id));
        Assert.Equal(await StorageAsync("ConversationMetadata", "ConversationId", saved.Id), await StorageAsync("ConversationMetadata", "ConversationId", bulk.Id));
        Assert.Equal(await StorageAsync("Messages", "ConversationId", saved.Id), await StorageAsync("Messages", "ConversationId", bulk.Id));
        var read = await App.QueryAsync(Acme.OrganizationId, db => db.Conversations.Include(c => c.Customer).Include(c => c.Messages)
            .Include(c => c.Metadata).SingleAsync(c => c.Id == bulk.Id));
        Assert.Equal(("BULK01", ConversationStatus.HandedOff, "bulk@example.com"), (read.PublicId, read.Status, read.Customer!.Email));
        Assert.Equal((MessageSender.Bot, "Hi"), (read.Messages.Single().Sender, read.Messages.Single().Content));
        Assert.Equal(12.5, read.Metadata.Single().NumericValue);
        Assert.True(read.Messages.Single().Id > 0, "the database numbers messages");
    }

    /// <summary>Per column of the row: SQLite's storage class, and for text what kind of text (GUID, EF's date format).</summary>
    private async Task<string> StorageAsync(string table, string idColumn, Guid id)
    {
        await using var connection = new SqliteConnection($"Data Source={App.DatabasePath};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\" WHERE \"{idColumn}\" = $id";
        command.Parameters.AddWithValue("$id", id.ToString().ToUpperInvariant());
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no {table} row for {id}");
        return string.Join(", ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetName(i) + ": " + Shape(reader.GetValue(i))));
    }

    private static string Shape(object value) => value switch
    {
        DBNull => "null",
        string text when Guid.TryParseExact(text, "D", out _) => text == text.ToUpperInvariant() ? "upper-case GUID text" : "lower-case GUID text",
        string text when DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out _) => "date text",
        string => "text",
        _ => value.GetType().Name,
    };
}
