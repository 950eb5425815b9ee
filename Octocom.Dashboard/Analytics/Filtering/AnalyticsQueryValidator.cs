using FluentValidation;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Analytics.Querying;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Metadata;

namespace Octocom.Dashboard.Analytics.Filtering;

/// <summary>Every way a filter can be wrong, with a message that says how to fix it (shown in the builder, returned by the API).</summary>
public sealed class AnalyticsQueryValidator : AbstractValidator<AnalyticsQuery>
{
    public AnalyticsQueryValidator(IOptions<AnalyticsOptions> options)
    {
        var limits = options.Value;
        RuleFor(q => q.Filter).NotNull().WithMessage("'filter' is required.").SetValidator(new AnalyticsFilterValidator(limits.MaxConditions));
        RuleFor(q => q.Sort)
            .Must(s => s is not null && AnalyticsSort.Codes.Contains(s))
            .WithMessage(q => $"Unknown sort '{q.Sort}'. Use one of: {string.Join(", ", AnalyticsSort.Codes)}.");
        RuleFor(q => q.Page).GreaterThanOrEqualTo(0).WithMessage("Page must be 0 or more (pages are counted from 0).");
        RuleFor(q => q.PageSize).InclusiveBetween(1, limits.MaxPageSize)
            .WithMessage($"Page size must be between 1 and {limits.MaxPageSize}.");
        RuleFor(q => q.Segment)
            .MaximumLength(MetadataLimits.MaxKeyLength).WithMessage($"The segment key is longer than {MetadataLimits.MaxKeyLength} characters.");
        RuleFor(q => q.Buckets)
            .Must((q, buckets) => !buckets || !string.IsNullOrWhiteSpace(q.Segment))
            .WithMessage("Numeric buckets need a segment key.");
    }
}

/// <summary>The filter part of a query; built by <see cref="AnalyticsQueryValidator"/> with the configured condition limit.</summary>
public sealed class AnalyticsFilterValidator : AbstractValidator<AnalyticsFilter>
{
    public AnalyticsFilterValidator(int maxConditions)
    {
        RuleFor(f => f.Conditions).NotNull().WithMessage("'conditions' must be a list (it may be empty).")
            .Must(c => c is null || c.Count <= maxConditions).WithMessage($"A filter can have at most {maxConditions} conditions.");
        RuleFor(f => f.BusinessIds).NotNull().WithMessage("'businessIds' must be a list (it may be empty).");
        RuleFor(f => f.Statuses).NotNull().WithMessage("'statuses' must be a list (it may be empty).");
        RuleFor(f => f.Channels).NotNull().WithMessage("'channels' must be a list (it may be empty).");
        RuleFor(f => f.Tags).NotNull().WithMessage("'tags' must be a list (it may be empty).");
        RuleForEach(f => f.Conditions).NotNull().SetValidator(new MetadataConditionValidator());
        RuleForEach(f => f.BusinessIds).GreaterThan(0).WithMessage("'{PropertyValue}' is not a business id.");
        RuleForEach(f => f.Statuses)
            .Must(s => ConversationStatusNames.WireNames.Contains(s))
            .WithMessage(f => $"Unknown status. Use one of: {string.Join(", ", ConversationStatusNames.WireNames)}.");
        RuleForEach(f => f.Channels).NotEmpty().MaximumLength(32).WithMessage("A channel is a short name such as web, email or instagram.");
        RuleForEach(f => f.Tags).NotEmpty().MaximumLength(ConversationTagConfiguration.MaxNameLength)
            .WithMessage($"A tag is 1 to {ConversationTagConfiguration.MaxNameLength} characters.");
        RuleFor(f => f.CreatedFrom).Must(BeEmptyOrDate!).WithMessage("'Created from' must be a date YYYY-MM-DD.");
        RuleFor(f => f.CreatedTo).Must(BeEmptyOrDate!).WithMessage("'Created to' must be a date YYYY-MM-DD.");
        RuleFor(f => f)
            .Must(f => !FilterValues.TryParseDate(f.CreatedFrom, out var from) || !FilterValues.TryParseDate(f.CreatedTo, out var to) || from <= to)
            .WithName("CreatedTo").WithMessage("'Created to' is before 'Created from'.");
    }

    private static bool BeEmptyOrDate(string? value) => string.IsNullOrWhiteSpace(value) || FilterValues.TryParseDate(value, out _);
}

public sealed class MetadataConditionValidator : AbstractValidator<MetadataCondition>
{
    public MetadataConditionValidator()
    {
        RuleFor(c => c.Key).NotEmpty().WithMessage("Choose a metadata key.")
            .MaximumLength(MetadataLimits.MaxKeyLength).WithMessage($"Metadata keys are at most {MetadataLimits.MaxKeyLength} characters.");
        RuleFor(c => c.Operator)
            .Must(op => MetadataOperators.TryParse(op, out _))
            .WithMessage(c => $"Unknown operator '{c.Operator}'. Use one of: {MetadataOperators.Codes}.");
        RuleFor(c => c.Values).NotNull().WithMessage("'values' must be a list (empty for exists / not_exists).");
        When(c => MetadataOperators.TryParse(c.Operator, out _) && c.Values is not null, () =>
        {
            RuleFor(c => c.Values).Custom((values, context) =>
            {
                MetadataOperators.TryParse(context.InstanceToValidate.Operator, out var op);
                foreach (var error in ValueErrors(op, values)) context.AddFailure(error);
            });
        });
    }

    /// <summary>What is wrong with the values for this operator (empty when they are fine).</summary>
    public static IEnumerable<string> ValueErrors(OperatorInfo op, IReadOnlyList<string?> values)
    {
        if (op.ValueKind == OperatorValueKind.None)
        {
            if (values.Count > 0) yield return $"'{op.Code}' takes no value.";
            yield break;
        }
        if (values.Count < op.MinValues || values.Count > op.MaxValues)
        {
            yield return (op.MinValues, op.MaxValues) switch
            {
                (2, 2) => $"'{op.Code}' needs exactly two values: a lower and an upper bound (both inclusive).",
                (1, 1) => $"'{op.Code}' needs exactly one value.",
                _ => $"'{op.Code}' needs between {op.MinValues} and {op.MaxValues} values.",
            };
            yield break;
        }
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (string.IsNullOrEmpty(value))
            {
                yield return $"Value {i + 1} is empty; use 'exists' or 'not_exists' to test for the key itself.";
                continue;
            }
            if (value.Length > MetadataLimits.MaxValueLength)
                yield return $"Value {i + 1} is longer than {MetadataLimits.MaxValueLength:N0} characters.";
            else if (op.ValueKind == OperatorValueKind.Number && !FilterValues.TryParseNumber(value, out _))
                yield return $"'{Shorten(value)}' is not a number; '{op.Code}' compares numbers such as 100, 12.5 or -3.";
            else if (op.ValueKind == OperatorValueKind.Date && !FilterValues.TryParseDate(value, out _))
                yield return $"'{Shorten(value)}' is not a date; '{op.Code}' takes dates as YYYY-MM-DD, e.g. 2025-04-15.";
        }
        if (values.Count == 2 && op.Operator == MetadataOperator.Between
            && FilterValues.TryParseNumber(values[0], out var low) && FilterValues.TryParseNumber(values[1], out var high) && low > high)
            yield return $"The lower bound {Shorten(values[0]!)} is greater than the upper bound {Shorten(values[1]!)}.";
        if (values.Count == 2 && op.Operator == MetadataOperator.DateBetween
            && FilterValues.TryParseDate(values[0], out var from) && FilterValues.TryParseDate(values[1], out var to) && from > to)
            yield return $"The first date {values[0]} is after the second date {values[1]}.";
    }

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;
}
