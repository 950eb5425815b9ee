using System.Linq.Expressions;
using System.Text;
using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Metadata;

namespace Octocom.Dashboard.Analytics.Querying;

/// <summary>
/// For each condition, the test one metadata ROW must pass — always positive: <c>neq</c> and <c>not_exists</c> reuse the
/// <c>eq</c> / <c>exists</c> row test and are negated at the conversation level (NOT EXISTS), which is what makes a
/// missing key count as "not equal". Every value enters the expression through a closure, so EF Core sends it as a
/// SQL parameter; nothing the user types is ever part of the SQL text. Each test starts with <c>Key == key</c> and
/// compares <c>Value</c> or <c>NumericValue</c> in a way the (OrganizationId, Key, Value|NumericValue) indexes serve.
/// </summary>
public static class MetadataRowPredicates
{
    /// <param name="dialect">The database's date-shape test (<see cref="DashboardDbContext.Dialect"/>).</param>
    public static Expression<Func<ConversationMetadata, bool>> For(CompiledCondition condition, IDatabaseDialect dialect)
    {
        var key = condition.Key;
        Expression<Func<ConversationMetadata, bool>> isKey = m => m.Key == key;
        return condition.Op.Operator switch
        {
            MetadataOperator.Exists or MetadataOperator.NotExists => isKey,
            MetadataOperator.Equal or MetadataOperator.NotEqual => Predicates.And(isKey, ValueIn(condition.Texts)),
            MetadataOperator.Contains => Predicates.And(isKey, Predicates.AnyOf<ConversationMetadata, string>(condition.Texts, text => m => m.Value.Contains(text))),
            MetadataOperator.StartsWith => Predicates.And(isKey, Predicates.AnyOf<ConversationMetadata, string>(condition.Texts, StartsWith)),
            MetadataOperator.LessThan => Predicates.And(isKey, Number(condition, (low, _) => m => m.NumericValue < low)),
            MetadataOperator.LessOrEqual => Predicates.And(isKey, Number(condition, (low, _) => m => m.NumericValue <= low)),
            MetadataOperator.GreaterThan => Predicates.And(isKey, Number(condition, (low, _) => m => m.NumericValue > low)),
            MetadataOperator.GreaterOrEqual => Predicates.And(isKey, Number(condition, (low, _) => m => m.NumericValue >= low)),
            MetadataOperator.Between => Predicates.And(isKey, Number(condition, (low, high) => m => m.NumericValue >= low && m.NumericValue <= high)),
            MetadataOperator.DateBefore => Predicates.And(isKey, DateRange(dialect, null, condition.Dates[0])),
            MetadataOperator.DateAfter => Predicates.And(isKey, DateRange(dialect, condition.Dates[0].AddDays(1), null)),
            MetadataOperator.DateBetween => Predicates.And(isKey, DateRange(dialect, condition.Dates[0], condition.Dates[1].AddDays(1))),
            _ => throw new ArgumentOutOfRangeException(nameof(condition), condition.Op.Code, "Unknown operator."),
        };
    }

    private static Expression<Func<ConversationMetadata, bool>> ValueIn(IReadOnlyList<string> texts)
    {
        if (texts.Count == 1)
        {
            var text = texts[0];
            return m => m.Value == text;
        }
        var values = texts.ToArray();
        return m => values.Contains(m.Value);
    }

    /// <summary>
    /// A prefix as an index range: prefix ≤ Value &lt; prefix-with-its-last-code-point-plus-one. SQLite compares text
    /// byte-wise (UTF-8), which orders by code point, so the range holds exactly the values starting with the prefix.
    /// </summary>
    private static Expression<Func<ConversationMetadata, bool>> StartsWith(string prefix)
    {
        var upper = PrefixUpperBound(prefix);
        if (upper is null)
        {
            var length = prefix.Length;
            return m => string.Compare(m.Value, prefix) >= 0 && m.Value.Substring(0, length) == prefix;
        }
        return m => string.Compare(m.Value, prefix) >= 0 && string.Compare(m.Value, upper) < 0;
    }

    /// <summary>The smallest string greater than every string that starts with <paramref name="prefix"/>; null if none exists.</summary>
    public static string? PrefixUpperBound(string prefix)
    {
        var runes = prefix.EnumerateRunes().ToList();
        while (runes.Count > 0)
        {
            var last = runes[^1].Value + 1;
            if (last is >= 0xD800 and <= 0xDFFF) last = 0xE000;
            if (last <= 0x10FFFF)
            {
                var builder = new StringBuilder();
                foreach (var rune in runes.Take(runes.Count - 1)) builder.Append(rune.ToString());
                builder.Append(new Rune(last).ToString());
                return builder.ToString();
            }
            runes.RemoveAt(runes.Count - 1);
        }
        return null;
    }

    private static Expression<Func<ConversationMetadata, bool>> Number(CompiledCondition condition,
        Func<double, double, Expression<Func<ConversationMetadata, bool>>> make) =>
        make(condition.Numbers[0], condition.Numbers.Count > 1 ? condition.Numbers[1] : condition.Numbers[0]);

    /// <summary>
    /// Dates compare as text: for values that begin with YYYY-MM-DD, "date ≥ D" is "Value ≥ 'D'" and "date &lt; D" is
    /// "Value &lt; 'D'", so the (Key, Value) index range serves date filters; the dialect's date-shape test keeps
    /// non-dates out (the calendar date written at the start of the value, YYYY-MM-DD…).
    /// </summary>
    private static Expression<Func<ConversationMetadata, bool>> DateRange(IDatabaseDialect dialect, DateOnly? from, DateOnly? before)
    {
        var low = from is { } f ? FilterValues.Format(f) : null;
        var high = before is { } b ? FilterValues.Format(b) : null;
        var shape = Predicates.On<ConversationMetadata, string>(m => m.Value, dialect.StartsWithIsoDate);
        if (low is not null) shape = Predicates.And(shape, m => string.Compare(m.Value, low) >= 0);
        if (high is not null) shape = Predicates.And(shape, m => string.Compare(m.Value, high) < 0);
        return shape;
    }
}
