using System.Linq.Expressions;
using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Conversations;

namespace Octocom.Dashboard.Analytics.Querying;

/// <summary>
/// The one table of analytics sort orders. Each column is written once: how SQL orders conversations by it, how a
/// small result read into memory (<see cref="SmallResult"/>) is put in the same order, and whether an index delivers
/// it. The sort codes — the column's name ascending, <c>-name</c> descending — the validator's list, the API's
/// description and the results table's headers all come from here.
/// </summary>
public sealed class AnalyticsSort
{
    public const string Activity = "activity";
    public const string Created = "created";
    public const string Messages = "messages";
    public const string Id = "id";

    private static readonly SortColumn[] Columns =
    [
        // The (OrganizationId, LastActivityAt) and (OrganizationId, CreatedAt) indexes deliver these orders.
        new SortColumn<DateTime>(Activity, c => c.LastActivityAt, m => m.LastActivityAt, Comparer<DateTime>.Default, indexed: true),
        new SortColumn<DateTime>(Created, c => c.CreatedAt, m => m.CreatedAt, Comparer<DateTime>.Default, indexed: true),
        new SortColumn<int>(Messages, c => c.MessageCount, m => m.MessageCount, Comparer<int>.Default, indexed: false),
        // Public IDs are unique (no tie-break) and ASCII, so ordinal order is the database's text order.
        new SortColumn<string>(Id, c => c.PublicId, m => m.PublicId, StringComparer.Ordinal, indexed: false, unique: true),
    ];

    /// <summary>Every sort, each column ascending then descending.</summary>
    public static IReadOnlyList<AnalyticsSort> All { get; } =
        Columns.SelectMany(column => new[] { new AnalyticsSort(column, descending: false), new AnalyticsSort(column, descending: true) }).ToArray();

    /// <summary>The codes <see cref="AnalyticsQuery.Sort"/> accepts.</summary>
    public static IReadOnlyList<string> Codes { get; } = All.Select(s => s.Code).ToArray();

    /// <summary>The column names, for descriptions ("activity|created|messages|id").</summary>
    public static IReadOnlyList<string> ColumnNames { get; } = Columns.Select(c => c.Name).ToArray();

    public static AnalyticsSort Default { get; } = All.Single(s => s.Code == AnalyticsQuery.DefaultSort);

    private readonly SortColumn _column;

    private AnalyticsSort(SortColumn column, bool descending)
    {
        _column = column;
        Descending = descending;
        Code = descending ? "-" + column.Name : column.Name;
    }

    public string Code { get; }
    public bool Descending { get; }
    public string ColumnName => _column.Name;

    /// <summary>An index can deliver this order, so a large result's first pages need not sort every match.</summary>
    public bool IsIndexed => _column.IsIndexed;

    /// <summary>The sort with this code; the default for an unknown code (the validator rejects those before any query runs).</summary>
    public static AnalyticsSort Find(string? code) => All.FirstOrDefault(s => s.Code == code) ?? Default;

    /// <summary>ORDER BY the column, then by the conversation id so pages are stable.</summary>
    public IQueryable<Conversation> Apply(IQueryable<Conversation> conversations) => _column.Apply(conversations, Descending);

    /// <summary>The order <see cref="Apply(IQueryable{Conversation})"/> gives in SQL, in memory.</summary>
    /// <param name="idOrder">How the database orders conversation ids (the tie-break): <see cref="Data.IDatabaseDialect.GuidOrder"/>.</param>
    public IEnumerable<MatchSummary> Apply(IEnumerable<MatchSummary> matches, IComparer<Guid> idOrder) => _column.Apply(matches, Descending, idOrder);

    public override string ToString() => Code;

    private abstract class SortColumn(string name, bool indexed)
    {
        public string Name { get; } = name;
        public bool IsIndexed { get; } = indexed;
        public abstract IQueryable<Conversation> Apply(IQueryable<Conversation> conversations, bool descending);
        public abstract IEnumerable<MatchSummary> Apply(IEnumerable<MatchSummary> matches, bool descending, IComparer<Guid> idOrder);
    }

    /// <param name="inSql">The column in SQL.</param>
    /// <param name="inMemory">The same column on a <see cref="MatchSummary"/>.</param>
    /// <param name="comparer">How the database compares the column's values.</param>
    /// <param name="unique">No two conversations share a value: no tie-break needed.</param>
    private sealed class SortColumn<TKey>(string name, Expression<Func<Conversation, TKey>> inSql, Func<MatchSummary, TKey> inMemory,
        IComparer<TKey> comparer, bool indexed, bool unique = false) : SortColumn(name, indexed)
    {
        public override IQueryable<Conversation> Apply(IQueryable<Conversation> conversations, bool descending)
        {
            var sorted = descending ? conversations.OrderByDescending(inSql) : conversations.OrderBy(inSql);
            return unique ? sorted : sorted.ThenBy(c => c.Id);
        }

        public override IEnumerable<MatchSummary> Apply(IEnumerable<MatchSummary> matches, bool descending, IComparer<Guid> idOrder)
        {
            var sorted = descending ? matches.OrderByDescending(inMemory, comparer) : matches.OrderBy(inMemory, comparer);
            return unique ? sorted : sorted.ThenBy(m => m.Id, idOrder);
        }
    }
}
