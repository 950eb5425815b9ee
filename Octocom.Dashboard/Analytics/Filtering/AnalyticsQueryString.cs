using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace Octocom.Dashboard.Analytics.Filtering;

/// <summary>
/// The URL form of an <see cref="AnalyticsQuery"/>, shared by the page (bookmarks, shared links), saved views and the
/// GET API endpoints:
/// <code>
/// c0.key=chat-widget%3Aplan &amp; c0.op=eq &amp; c0.v=enterprise &amp; c0.v=pro      condition 0 (values repeat: OR)
/// c1.key=chat-widget%3Acart_value &amp; c1.op=between &amp; c1.v=10 &amp; c1.v=100   condition 1 (AND)
/// business=3 &amp; status=open &amp; status=closed &amp; channel=web &amp; tag=vip &amp; from=2025-01-01 &amp; to=2025-03-31
/// segment=chat-widget%3Autm_source &amp; buckets=1 &amp; sort=-created &amp; page=2 &amp; size=50
/// </code>
/// Every name and value is percent-encoded, so keys and values may contain any character. Defaults are omitted.
/// </summary>
public static partial class AnalyticsQueryString
{
    public sealed record ParseResult(AnalyticsQuery Query, IReadOnlyList<string> Errors);

    public static string Encode(AnalyticsQuery query)
    {
        var parts = new List<(string Name, string Value)>();
        var filter = query.Filter;
        for (var i = 0; i < filter.Conditions.Count; i++)
        {
            var condition = filter.Conditions[i];
            parts.Add(($"c{i}.key", condition.Key));
            parts.Add(($"c{i}.op", condition.Operator));
            parts.AddRange(condition.Values.Select(v => ($"c{i}.v", v)));
        }
        parts.AddRange(filter.BusinessIds.Select(id => ("business", id.ToString(CultureInfo.InvariantCulture))));
        parts.AddRange(filter.Statuses.Select(s => ("status", s)));
        parts.AddRange(filter.Channels.Select(c => ("channel", c)));
        parts.AddRange(filter.Tags.Select(t => ("tag", t)));
        if (!string.IsNullOrEmpty(filter.CreatedFrom)) parts.Add(("from", filter.CreatedFrom));
        if (!string.IsNullOrEmpty(filter.CreatedTo)) parts.Add(("to", filter.CreatedTo));
        if (!string.IsNullOrEmpty(query.Segment)) parts.Add(("segment", query.Segment));
        if (query.Buckets) parts.Add(("buckets", "1"));
        if (query.Sort != AnalyticsQuery.DefaultSort) parts.Add(("sort", query.Sort));
        if (query.Page != 0) parts.Add(("page", query.Page.ToString(CultureInfo.InvariantCulture)));
        if (query.PageSize != AnalyticsQuery.DefaultPageSize) parts.Add(("size", query.PageSize.ToString(CultureInfo.InvariantCulture)));

        var builder = new StringBuilder();
        foreach (var (name, value) in parts)
        {
            if (builder.Length > 0) builder.Append('&');
            builder.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value ?? ""));
        }
        return builder.ToString();
    }

    /// <summary>Reads a query string (with or without the leading '?'); unknown parameters are ignored.</summary>
    public static ParseResult Parse(string? queryString)
    {
        var values = QueryHelpers.ParseQuery(string.IsNullOrEmpty(queryString) || queryString.StartsWith('?') ? queryString : "?" + queryString);
        var errors = new List<string>();
        var query = new AnalyticsQuery();
        var filter = query.Filter;

        var conditionIndexes = values.Keys
            .Select(name => ConditionParameter().Match(name))
            .Where(m => m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Distinct().Order();
        foreach (var i in conditionIndexes)
        {
            filter.Conditions.Add(new MetadataCondition
            {
                Key = First(values, $"c{i}.key") ?? "",
                Operator = First(values, $"c{i}.op") ?? "eq",
                Values = All(values, $"c{i}.v"),
            });
        }
        foreach (var business in All(values, "business"))
        {
            if (int.TryParse(business, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) filter.BusinessIds.Add(id);
            else errors.Add($"'{business}' is not a business id.");
        }
        filter.Statuses = All(values, "status");
        filter.Channels = All(values, "channel");
        filter.Tags = All(values, "tag");
        filter.CreatedFrom = First(values, "from");
        filter.CreatedTo = First(values, "to");
        query.Segment = First(values, "segment");
        query.Buckets = First(values, "buckets") is "1" or "true";
        query.Sort = First(values, "sort") ?? AnalyticsQuery.DefaultSort;
        query.Page = Integer(values, "page", 0, errors);
        query.PageSize = Integer(values, "size", AnalyticsQuery.DefaultPageSize, errors);
        return new ParseResult(query, errors);
    }

    private static string? First(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> values, string name) =>
        values.TryGetValue(name, out var v) && v.Count > 0 && !string.IsNullOrEmpty(v[0]) ? v[0] : null;

    private static List<string> All(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> values, string name) =>
        values.TryGetValue(name, out var v) ? v.Select(s => s ?? "").ToList() : [];

    private static int Integer(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> values, string name, int fallback, List<string> errors)
    {
        var text = First(values, name);
        if (text is null) return fallback;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)) return number;
        errors.Add($"'{name}' must be a whole number.");
        return fallback;
    }

    [GeneratedRegex(@"^c(\d{1,4})\.(key|op|v)$")]
    private static partial Regex ConditionParameter();
}
