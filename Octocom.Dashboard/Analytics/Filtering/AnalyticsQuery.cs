namespace Octocom.Dashboard.Analytics.Filtering;

/// <summary>
/// One condition on a metadata key, as managers build it and as the URL, the JSON API and saved views carry it.
/// Values are kept as the user typed them; <see cref="AnalyticsQueryValidator"/> reports what is wrong with them and
/// <see cref="FilterCompiler"/> turns a valid condition into typed values.
/// </summary>
public sealed class MetadataCondition
{
    /// <summary>Metadata key, exact (e.g. <c>chat-widget:plan</c>).</summary>
    public string Key { get; set; } = "";

    /// <summary>Operator code: eq, neq, contains, starts_with, exists, not_exists, lt, lte, gt, gte, between, date_before, date_after, date_between.</summary>
    public string Operator { get; set; } = "eq";

    /// <summary>Texts are OR-ed (eq enterprise, pro); numeric and date operators take one value (two for between).</summary>
    public List<string> Values { get; set; } = [];

    public MetadataCondition Clone() => new() { Key = Key, Operator = Operator, Values = [.. Values] };
}

/// <summary>Which conversations: metadata conditions AND-ed together, AND-ed with the conversation filters (each OR-ed within).</summary>
public sealed class AnalyticsFilter
{
    public List<MetadataCondition> Conditions { get; set; } = [];
    /// <summary>Any of these businesses (ids); empty = all.</summary>
    public List<int> BusinessIds { get; set; } = [];
    /// <summary>Any of these statuses: open, handed_off, closed; empty = all.</summary>
    public List<string> Statuses { get; set; } = [];
    /// <summary>Any of these latest channels: web, email, instagram; empty = all.</summary>
    public List<string> Channels { get; set; } = [];
    /// <summary>Conversations carrying any of these tags; empty = no tag filter.</summary>
    public List<string> Tags { get; set; } = [];
    /// <summary>Created on or after this UTC day, <c>YYYY-MM-DD</c>.</summary>
    public string? CreatedFrom { get; set; }
    /// <summary>Created on or before this UTC day (inclusive), <c>YYYY-MM-DD</c>.</summary>
    public string? CreatedTo { get; set; }

    public AnalyticsFilter Clone() => new()
    {
        Conditions = Conditions.Select(c => c.Clone()).ToList(),
        BusinessIds = [.. BusinessIds],
        Statuses = [.. Statuses],
        Channels = [.. Channels],
        Tags = [.. Tags],
        CreatedFrom = CreatedFrom,
        CreatedTo = CreatedTo,
    };
}

/// <summary>Everything a view shows: the filter, the segment key, sort and page. This is what the URL encodes.</summary>
public sealed class AnalyticsQuery
{
    public const string DefaultSort = "-activity";
    public const int DefaultPageSize = 25;

    public AnalyticsFilter Filter { get; set; } = new();
    /// <summary>Metadata key to segment the matching conversations by (none = no segment table).</summary>
    public string? Segment { get; set; }
    /// <summary>Segment a numeric key by value ranges instead of by exact value.</summary>
    public bool Buckets { get; set; }
    /// <summary>A code of <see cref="Querying.AnalyticsSort"/>: activity, created, messages or id; a leading '-' sorts descending.</summary>
    public string Sort { get; set; } = DefaultSort;
    /// <summary>Zero-based page index.</summary>
    public int Page { get; set; }
    public int PageSize { get; set; } = DefaultPageSize;

    public AnalyticsQuery Clone() => new()
    {
        Filter = Filter.Clone(), Segment = Segment, Buckets = Buckets, Sort = Sort, Page = Page, PageSize = PageSize,
    };
}
