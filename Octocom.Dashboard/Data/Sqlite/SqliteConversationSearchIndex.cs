using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data.Search;

namespace Octocom.Dashboard.Data.Sqlite;

/// <summary>
/// SQLite FTS5 (trigram tokenizer, diacritics folded, case-insensitive) over two external-content tables:
/// <c>MessageSearch</c> indexes <c>Messages.Content</c> in place (rowid = message id), and <c>ConversationSearch</c>
/// indexes <c>ConversationSearchDocs</c>, one row per conversation with its subject and its customer's name, email
/// and phone. Triggers keep both in step with every insert, update and delete, so the index changes in the same
/// transaction as the rows it mirrors — whichever code path writes them (EF, the bulk seeder, a migration).
/// The tables are created here at start-up rather than in an EF migration because SQLite table rebuilds in later
/// migrations drop a table's triggers: <see cref="EnsureAsync"/> notices a missing trigger and rebuilds the index.
/// </summary>
public sealed class SqliteConversationSearchIndex : IConversationSearchIndex
{
    private const string Tokenizer = "trigram remove_diacritics 1";

    /// <summary>Names of every trigger the index needs (their absence means the index may be stale).</summary>
    public static readonly string[] TriggerNames =
    [
        "Messages_search_insert", "Messages_search_delete", "Messages_search_update",
        "Conversations_search_insert", "Conversations_search_update", "Conversations_search_delete",
        "Customers_search_update",
        "ConversationSearchDocs_insert", "ConversationSearchDocs_delete", "ConversationSearchDocs_update",
    ];

    private static readonly string[] TableNames = ["ConversationSearchDocs", "ConversationSearch", "MessageSearch"];

    private static readonly string PresentSql =
        $"SELECT name AS Value FROM sqlite_master WHERE name IN ({string.Join(", ", TriggerNames.Concat(TableNames).Select(n => $"'{n}'"))})";

    private const string TablesSql = $"""
        CREATE TABLE IF NOT EXISTS ConversationSearchDocs (
            RowId INTEGER PRIMARY KEY,
            ConversationId TEXT NOT NULL UNIQUE,
            OrganizationId INTEGER NOT NULL,
            Subject TEXT NOT NULL DEFAULT '',
            CustomerName TEXT, CustomerEmail TEXT, CustomerPhone TEXT);
        CREATE VIRTUAL TABLE IF NOT EXISTS ConversationSearch USING fts5(
            Subject, CustomerName, CustomerEmail, CustomerPhone,
            content='ConversationSearchDocs', content_rowid='RowId', tokenize='{Tokenizer}');
        CREATE VIRTUAL TABLE IF NOT EXISTS MessageSearch USING fts5(
            Content, content='Messages', content_rowid='Id', tokenize='{Tokenizer}');
        """;

    private const string TriggersSql = """
        CREATE TRIGGER IF NOT EXISTS Messages_search_insert AFTER INSERT ON Messages BEGIN
            INSERT INTO MessageSearch(rowid, Content) VALUES (new.Id, new.Content);
        END;
        CREATE TRIGGER IF NOT EXISTS Messages_search_delete AFTER DELETE ON Messages BEGIN
            INSERT INTO MessageSearch(MessageSearch, rowid, Content) VALUES ('delete', old.Id, old.Content);
        END;
        CREATE TRIGGER IF NOT EXISTS Messages_search_update AFTER UPDATE OF Content ON Messages BEGIN
            INSERT INTO MessageSearch(MessageSearch, rowid, Content) VALUES ('delete', old.Id, old.Content);
            INSERT INTO MessageSearch(rowid, Content) VALUES (new.Id, new.Content);
        END;
        CREATE TRIGGER IF NOT EXISTS Conversations_search_insert AFTER INSERT ON Conversations BEGIN
            INSERT INTO ConversationSearchDocs(ConversationId, OrganizationId, Subject, CustomerName, CustomerEmail, CustomerPhone)
            SELECT new.Id, new.OrganizationId, new.Subject, cu.Name, cu.Email, cu.Phone
            FROM (SELECT 1) LEFT JOIN Customers cu ON cu.Id = new.CustomerId;
        END;
        CREATE TRIGGER IF NOT EXISTS Conversations_search_update AFTER UPDATE OF Subject, CustomerId ON Conversations
        WHEN old.Subject IS NOT new.Subject OR old.CustomerId IS NOT new.CustomerId BEGIN
            UPDATE ConversationSearchDocs SET Subject = new.Subject,
                CustomerName = (SELECT Name FROM Customers WHERE Id = new.CustomerId),
                CustomerEmail = (SELECT Email FROM Customers WHERE Id = new.CustomerId),
                CustomerPhone = (SELECT Phone FROM Customers WHERE Id = new.CustomerId)
            WHERE ConversationId = new.Id;
        END;
        CREATE TRIGGER IF NOT EXISTS Conversations_search_delete AFTER DELETE ON Conversations BEGIN
            DELETE FROM ConversationSearchDocs WHERE ConversationId = old.Id;
        END;
        CREATE TRIGGER IF NOT EXISTS Customers_search_update AFTER UPDATE OF Name, Email, Phone ON Customers
        WHEN old.Name IS NOT new.Name OR old.Email IS NOT new.Email OR old.Phone IS NOT new.Phone BEGIN
            UPDATE ConversationSearchDocs SET CustomerName = new.Name, CustomerEmail = new.Email, CustomerPhone = new.Phone
            WHERE ConversationId IN (SELECT Id FROM Conversations WHERE CustomerId = new.Id);
        END;
        CREATE TRIGGER IF NOT EXISTS ConversationSearchDocs_insert AFTER INSERT ON ConversationSearchDocs BEGIN
            INSERT INTO ConversationSearch(rowid, Subject, CustomerName, CustomerEmail, CustomerPhone)
            VALUES (new.RowId, new.Subject, new.CustomerName, new.CustomerEmail, new.CustomerPhone);
        END;
        CREATE TRIGGER IF NOT EXISTS ConversationSearchDocs_delete AFTER DELETE ON ConversationSearchDocs BEGIN
            INSERT INTO ConversationSearch(ConversationSearch, rowid, Subject, CustomerName, CustomerEmail, CustomerPhone)
            VALUES ('delete', old.RowId, old.Subject, old.CustomerName, old.CustomerEmail, old.CustomerPhone);
        END;
        CREATE TRIGGER IF NOT EXISTS ConversationSearchDocs_update AFTER UPDATE ON ConversationSearchDocs BEGIN
            INSERT INTO ConversationSearch(ConversationSearch, rowid, Subject, CustomerName, CustomerEmail, CustomerPhone)
            VALUES ('delete', old.RowId, old.Subject, old.CustomerName, old.CustomerEmail, old.CustomerPhone);
            INSERT INTO ConversationSearch(rowid, Subject, CustomerName, CustomerEmail, CustomerPhone)
            VALUES (new.RowId, new.Subject, new.CustomerName, new.CustomerEmail, new.CustomerPhone);
        END;
        """;

    /// <summary>Refills the index from the rows (after the triggers were missing, or after a bulk load without them).</summary>
    private const string RebuildSql = """
        DELETE FROM ConversationSearchDocs;
        INSERT INTO ConversationSearchDocs(ConversationId, OrganizationId, Subject, CustomerName, CustomerEmail, CustomerPhone)
        SELECT c.Id, c.OrganizationId, c.Subject, cu.Name, cu.Email, cu.Phone
        FROM Conversations c LEFT JOIN Customers cu ON cu.Id = c.CustomerId;
        INSERT INTO ConversationSearch(ConversationSearch) VALUES ('rebuild');
        INSERT INTO MessageSearch(MessageSearch) VALUES ('rebuild');
        """;

    public int MinTermLength => 3;

    public async Task EnsureAsync(DashboardDbContext db, CancellationToken ct = default)
    {
        var names = TriggerNames.Concat(TableNames).ToList();
        var present = await db.Database.SqlQueryRaw<string>(PresentSql).ToListAsync(ct);
        if (present.Count == names.Count) return;

        // Some part is missing (new database, or a migration rebuilt a table and dropped its triggers): rebuild all of it
        // in one transaction, with the triggers dropped while the index is refilled so no row is indexed twice.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync(DropTriggersSql, ct);
        await db.Database.ExecuteSqlRawAsync(TablesSql, ct);
        await db.Database.ExecuteSqlRawAsync(RebuildSql, ct);
        await db.Database.ExecuteSqlRawAsync(TriggersSql, ct);
        await tx.CommitAsync(ct);
    }

    public Task SuspendAsync(DashboardDbContext db, CancellationToken ct = default) =>
        db.Database.ExecuteSqlRawAsync(DropTriggersSql, ct);

    private static readonly string DropTriggersSql = string.Concat(TriggerNames.Select(t => $"DROP TRIGGER IF EXISTS {t};\n"));

    public IQueryable<SearchHit> Hits(DashboardDbContext db, int organizationId, IReadOnlyList<string> terms)
    {
        var match = MatchExpression(terms);
        // A subject or customer match ranks above any match in a message (bm25 is negative and small: lower is better).
        return db.Database.SqlQuery<SearchHit>($"""
            SELECT h.ConversationId AS ConversationId, MIN(h.Rank) AS Rank, h.MessageId AS MessageId
            FROM (
                SELECT d.ConversationId AS ConversationId, s.rank - 1000.0 AS Rank, NULL AS MessageId
                FROM ConversationSearch s JOIN ConversationSearchDocs d ON d.RowId = s.rowid
                WHERE ConversationSearch MATCH {match} AND d.OrganizationId = {organizationId}
                UNION ALL
                SELECT m.ConversationId, s.rank, m.Id
                FROM MessageSearch s JOIN Messages m ON m.Id = s.rowid
                WHERE MessageSearch MATCH {match} AND m.OrganizationId = {organizationId}
            ) h
            GROUP BY h.ConversationId
            """);
    }

    /// <summary>
    /// Every term as an FTS5 string literal ("..." with inner quotes doubled), AND-ed: whatever the user typed —
    /// quotes, *, -, NEAR, AND, OR, parentheses, column filters — is matched as text, never parsed as query syntax.
    /// </summary>
    public static string MatchExpression(IReadOnlyList<string> terms)
    {
        if (terms.Count == 0) throw new ArgumentException("At least one search term is needed.", nameof(terms));
        return string.Join(" ", terms.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
    }
}
