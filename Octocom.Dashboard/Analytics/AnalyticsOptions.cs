using System.ComponentModel.DataAnnotations;

namespace Octocom.Dashboard.Analytics;

public sealed class AnalyticsOptions
{
    public const string SectionName = "Analytics";

    /// <summary>Metadata conditions per filter.</summary>
    [Range(1, 100)]
    public int MaxConditions { get; set; } = 20;

    /// <summary>Largest page of conversations the page and the JSON API return (CSV exports are streamed, not paged).</summary>
    [Range(10, 1000)]
    public int MaxPageSize { get; set; } = 200;

    /// <summary>Segments shown by value; the rest are summed into "(other)".</summary>
    [Range(2, 500)]
    public int MaxSegments { get; set; } = 50;

    /// <summary>
    /// How long the key list (keys with counts, offered in the filter builder) is cached per organization. Counting
    /// reads every metadata index entry of the organization (about 2 s at 10 million pairs), and the counts are a guide.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan KeyListCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A condition's index range is counted up to this many rows to pick the most selective condition to drive the
    /// query from; bounds the cost of planning on large organizations.
    /// </summary>
    [Range(1_000, 10_000_000)]
    public int SelectivityProbeLimit { get; set; } = 50_000;

    /// <summary>
    /// Results up to this many conversations are read once (a few fields each) and counted, paged and segmented in
    /// memory; larger ones are aggregated in SQL. 0 always aggregates in SQL.
    /// </summary>
    [Range(0, 100_000)]
    public int SmallResultLimit { get; set; } = 5_000;
}
