using Microsoft.EntityFrameworkCore;

namespace Octocom.Dashboard.Data.Search;

/// <summary>One full-text match: the conversation, its rank (lower is better) and the best-matching message, if the match is in a message.</summary>
public sealed class SearchHit
{
    public Guid ConversationId { get; set; }
    public double Rank { get; set; }
    public long? MessageId { get; set; }
}

/// <summary>
/// The inbox's full-text index over subject, customer name/email/phone and message text — the database-specific
/// part of search. The SQLite implementation uses FTS5 with the trigram tokenizer; PostgreSQL will mirror it with
/// pg_trgm GIN indexes (issue 17). Features call <see cref="Hits"/> and compose on it with LINQ.
/// </summary>
public interface IConversationSearchIndex
{
    /// <summary>Creates the index and its triggers if they are missing (and then fills it from the existing rows).</summary>
    Task EnsureAsync(DashboardDbContext db, CancellationToken ct = default);

    /// <summary>Stops keeping the index in step (a bulk load runs faster without); the next <see cref="EnsureAsync"/> rebuilds it.</summary>
    Task SuspendAsync(DashboardDbContext db, CancellationToken ct = default);

    /// <summary>Matches of <paramref name="terms"/> (every term must occur; each is plain text, never query syntax) in one organization.</summary>
    IQueryable<SearchHit> Hits(DashboardDbContext db, int organizationId, IReadOnlyList<string> terms);

    /// <summary>Shortest term the index can match (trigrams: 3 characters).</summary>
    int MinTermLength { get; }
}
