using Octocom.Dashboard.Conversations;

namespace Octocom.Dashboard.Analytics.Filtering;

/// <summary>A validated condition with typed values.</summary>
public sealed record CompiledCondition(
    string Key,
    OperatorInfo Op,
    IReadOnlyList<string> Texts,
    IReadOnlyList<double> Numbers,
    IReadOnlyList<DateOnly> Dates);

/// <summary>A validated filter with typed values; built by <see cref="FilterCompiler"/>.</summary>
public sealed record CompiledFilter(
    IReadOnlyList<CompiledCondition> Conditions,
    IReadOnlyList<int> BusinessIds,
    IReadOnlyList<ConversationStatus> Statuses,
    IReadOnlyList<string> Channels,
    IReadOnlyList<string> Tags,
    DateTime? CreatedFrom,
    DateTime? CreatedBefore)
{
    /// <summary>Anything that needs the conversation row (business, status, channel, tags, created date).</summary>
    public bool HasConversationFilters =>
        BusinessIds.Count > 0 || Statuses.Count > 0 || Channels.Count > 0 || Tags.Count > 0 || CreatedFrom is not null || CreatedBefore is not null;
}

public static class FilterCompiler
{
    /// <summary>Turns a filter that passed <see cref="AnalyticsQueryValidator"/> into typed values.</summary>
    /// <exception cref="ArgumentException">The filter was not validated first.</exception>
    public static CompiledFilter Compile(AnalyticsFilter filter)
    {
        var conditions = filter.Conditions.Select(Compile).ToList();
        var statuses = filter.Statuses.Distinct()
            .Select(s => ConversationStatusNames.Parse(s) ?? throw new ArgumentException($"Unknown status '{s}'."))
            .Distinct().ToList();
        return new CompiledFilter(
            conditions,
            filter.BusinessIds.Distinct().ToList(),
            statuses,
            filter.Channels.Select(c => c.Trim().ToLowerInvariant()).Distinct().ToList(),
            filter.Tags.Select(TagService.Normalize).OfType<string>().Distinct().ToList(),
            ParseDay(filter.CreatedFrom)?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            ParseDay(filter.CreatedTo)?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
    }

    public static CompiledCondition Compile(MetadataCondition condition)
    {
        if (!MetadataOperators.TryParse(condition.Operator, out var op))
            throw new ArgumentException($"Unknown operator '{condition.Operator}'.");
        var errors = MetadataConditionValidator.ValueErrors(op, condition.Values).ToList();
        if (errors.Count > 0) throw new ArgumentException(errors[0]);
        var values = condition.Values;
        return op.ValueKind switch
        {
            OperatorValueKind.Texts => new CompiledCondition(condition.Key, op, values.Distinct(StringComparer.Ordinal).ToList(), [], []),
            OperatorValueKind.Number => new CompiledCondition(condition.Key, op, [],
                values.Select(v => FilterValues.TryParseNumber(v, out var n) ? n : 0).ToList(), []),
            OperatorValueKind.Date => new CompiledCondition(condition.Key, op, [], [],
                values.Select(v => FilterValues.TryParseDate(v, out var d) ? d : default).ToList()),
            _ => new CompiledCondition(condition.Key, op, [], [], []),
        };
    }

    private static DateOnly? ParseDay(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : FilterValues.TryParseDate(value, out var day) ? day
        : throw new ArgumentException($"'{value}' is not a date YYYY-MM-DD.");
}
