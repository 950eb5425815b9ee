namespace Octocom.Dashboard.Analytics.Filtering;

/// <summary>What a metadata condition tests. Wire codes (URL, JSON API, saved views) are in <see cref="MetadataOperators"/>.</summary>
public enum MetadataOperator
{
    Equal,
    NotEqual,
    Contains,
    StartsWith,
    Exists,
    NotExists,
    LessThan,
    LessOrEqual,
    GreaterThan,
    GreaterOrEqual,
    Between,
    DateBefore,
    DateAfter,
    DateBetween,
}

/// <summary>How an operator reads its values.</summary>
public enum OperatorValueKind
{
    /// <summary>No value (exists, not exists).</summary>
    None,
    /// <summary>One or more texts, OR-ed (equals enterprise OR pro).</summary>
    Texts,
    /// <summary>Exactly one number (or two for between).</summary>
    Number,
    /// <summary>Exactly one ISO date <c>YYYY-MM-DD</c> (or two for date between).</summary>
    Date,
}

public sealed record OperatorInfo(MetadataOperator Operator, string Code, string Label, OperatorValueKind ValueKind, int MinValues, int MaxValues)
{
    /// <summary>Matches conversations WITHOUT a metadata row that satisfies the test (NOT EXISTS), so a missing key matches.</summary>
    public bool IsNegative => Operator is MetadataOperator.NotEqual or MetadataOperator.NotExists;
}

/// <summary>The operator table: wire codes, labels and value arity. Codes are stable (bookmarked URLs, saved views, API clients).</summary>
public static class MetadataOperators
{
    public const int ManyValues = 50;

    public static readonly IReadOnlyList<OperatorInfo> All =
    [
        new(MetadataOperator.Equal, "eq", "equals", OperatorValueKind.Texts, 1, ManyValues),
        new(MetadataOperator.NotEqual, "neq", "not equal", OperatorValueKind.Texts, 1, ManyValues),
        new(MetadataOperator.Contains, "contains", "contains", OperatorValueKind.Texts, 1, ManyValues),
        new(MetadataOperator.StartsWith, "starts_with", "starts with", OperatorValueKind.Texts, 1, ManyValues),
        new(MetadataOperator.Exists, "exists", "exists", OperatorValueKind.None, 0, 0),
        new(MetadataOperator.NotExists, "not_exists", "not exists", OperatorValueKind.None, 0, 0),
        new(MetadataOperator.LessThan, "lt", "<", OperatorValueKind.Number, 1, 1),
        new(MetadataOperator.LessOrEqual, "lte", "≤", OperatorValueKind.Number, 1, 1),
        new(MetadataOperator.GreaterThan, "gt", ">", OperatorValueKind.Number, 1, 1),
        new(MetadataOperator.GreaterOrEqual, "gte", "≥", OperatorValueKind.Number, 1, 1),
        new(MetadataOperator.Between, "between", "between (numbers)", OperatorValueKind.Number, 2, 2),
        new(MetadataOperator.DateBefore, "date_before", "date before", OperatorValueKind.Date, 1, 1),
        new(MetadataOperator.DateAfter, "date_after", "date after", OperatorValueKind.Date, 1, 1),
        new(MetadataOperator.DateBetween, "date_between", "date between", OperatorValueKind.Date, 2, 2),
    ];

    private static readonly Dictionary<string, OperatorInfo> ByCode = All.ToDictionary(o => o.Code, StringComparer.OrdinalIgnoreCase);
    private static readonly Dictionary<MetadataOperator, OperatorInfo> ByOperator = All.ToDictionary(o => o.Operator);

    public static string Codes => string.Join(", ", All.Select(o => o.Code));

    public static bool TryParse(string? code, out OperatorInfo info)
    {
        info = null!;
        return code is not null && ByCode.TryGetValue(code.Trim(), out info!);
    }

    public static OperatorInfo Info(this MetadataOperator op) => ByOperator[op];
}
