using Microsoft.Extensions.Options;
using Octocom.Dashboard.Analytics;
using Octocom.Dashboard.Analytics.Filtering;

namespace Octocom.Dashboard.Tests.Analytics.Filtering;

public sealed class AnalyticsQueryValidatorTests
{
    private readonly AnalyticsQueryValidator _validator = new(Options.Create(new AnalyticsOptions { MaxConditions = 3, MaxPageSize = 100 }));

    private string[] Errors(AnalyticsQuery query) => _validator.Validate(query).Errors.Select(e => e.ErrorMessage).ToArray();

    private string[] Errors(params MetadataCondition[] conditions) => Errors(new AnalyticsQuery { Filter = new AnalyticsFilter { Conditions = [.. conditions] } });

    private static MetadataCondition C(string op, params string[] values) => new() { Key = "chat-widget:plan", Operator = op, Values = [.. values] };

    [Fact]
    public void Validate_EveryOperatorWithGoodValues_IsValid()
    {
        Assert.Empty(Errors(C("eq", "a", "b"), C("neq", "a"), C("contains", "x")));
        Assert.Empty(Errors(C("starts_with", "x"), C("exists"), C("not_exists")));
        Assert.Empty(Errors(C("lt", "1"), C("LTE", "-2.5"), C("gt", "1e3")));
        Assert.Empty(Errors(C("gte", "0"), C("between", "1", "1"), C("date_between", "2025-01-01", "2025-01-31")));
        Assert.Empty(Errors(C("date_before", "2025-01-01"), C("date_after", "2025-12-31")));
    }

    [Fact]
    public void Validate_UnknownOperator_ListsTheKnownOnes() =>
        Assert.Equal(["Unknown operator 'like'. Use one of: eq, neq, contains, starts_with, exists, not_exists, lt, lte, gt, gte, between, date_before, date_after, date_between."],
            Errors(C("like", "x")));

    [Fact]
    public void Validate_NonNumericValueForNumericOperator_SaysSo() =>
        Assert.Equal(["'abc' is not a number; 'gt' compares numbers such as 100, 12.5 or -3."], Errors(C("gt", "abc")));

    [Fact]
    public void Validate_DecimalComma_IsNotANumber() => Assert.Single(Errors(C("lt", "12,5")));

    [Fact]
    public void Validate_BetweenWithOneBound_AsksForBoth() =>
        Assert.Equal(["'between' needs exactly two values: a lower and an upper bound (both inclusive)."], Errors(C("between", "10")));

    [Fact]
    public void Validate_BetweenReversed_SaysWhichIsGreater() =>
        Assert.Equal(["The lower bound 100 is greater than the upper bound 10."], Errors(C("between", "100", "10")));

    [Fact]
    public void Validate_BadDates_SayTheFormat()
    {
        Assert.Equal(["'15/04/2025' is not a date; 'date_before' takes dates as YYYY-MM-DD, e.g. 2025-04-15."], Errors(C("date_before", "15/04/2025")));
        Assert.Equal(["The first date 2025-02-01 is after the second date 2025-01-01."], Errors(C("date_between", "2025-02-01", "2025-01-01")));
    }

    [Fact]
    public void Validate_ValueCounts_AreChecked()
    {
        Assert.Equal(["'exists' takes no value."], Errors(C("exists", "x")));
        Assert.Equal(["'eq' needs between 1 and 50 values."], Errors(C("eq")));
        Assert.Equal(["'gt' needs exactly one value."], Errors(C("gt", "1", "2")));
        Assert.Equal(["Value 2 is empty; use 'exists' or 'not_exists' to test for the key itself."], Errors(C("eq", "a", "")));
    }

    [Fact]
    public void Validate_MissingKeyAndTooManyConditions_AreReported()
    {
        Assert.Equal(["Choose a metadata key."], Errors(new MetadataCondition { Key = "", Operator = "exists" }));
        Assert.Contains("A filter can have at most 3 conditions.", Errors(C("exists"), C("exists"), C("exists"), C("exists")));
    }

    [Fact]
    public void Validate_ConversationFiltersAndPaging_AreChecked()
    {
        var errors = Errors(new AnalyticsQuery
        {
            Filter = new AnalyticsFilter { Statuses = ["pending"], CreatedFrom = "2025-02-01", CreatedTo = "2025-01-01", BusinessIds = [0] },
            Sort = "subject", PageSize = 500, Page = -1, Buckets = true,
        });
        Assert.Contains("Unknown status. Use one of: open, handed_off, closed.", errors);
        Assert.Contains("'Created to' is before 'Created from'.", errors);
        Assert.Contains("'0' is not a business id.", errors);
        Assert.Contains("Unknown sort 'subject'. Use one of: activity, -activity, created, -created, messages, -messages, id, -id.", errors);
        Assert.Contains("Page size must be between 1 and 100.", errors);
        Assert.Contains("Page must be 0 or more (pages are counted from 0).", errors);
        Assert.Contains("Numeric buckets need a segment key.", errors);
    }

    [Fact]
    public void Validate_Errors_NameTheConditionAndProperty()
    {
        var result = _validator.Validate(new AnalyticsQuery { Filter = new AnalyticsFilter { Conditions = [C("eq", "a"), C("gt", "x")] } });
        Assert.Equal("Filter.Conditions[1].Values", Assert.Single(result.Errors).PropertyName);
    }

    [Fact]
    public void Validate_JsonNulls_AreErrorsNotCrashes()
    {
        var errors = Errors(new AnalyticsQuery
        {
            Filter = new AnalyticsFilter { Conditions = null!, Statuses = null!, BusinessIds = null!, Channels = null!, Tags = null! },
            Sort = null!,
        });
        Assert.Contains("'conditions' must be a list (it may be empty).", errors);
        Assert.Contains("'statuses' must be a list (it may be empty).", errors);
        Assert.Contains("'tags' must be a list (it may be empty).", errors);
        Assert.Equal(["'filter' is required."], Errors(new AnalyticsQuery { Filter = null! }));
        Assert.Contains("'values' must be a list (empty for exists / not_exists).",
            Errors(new MetadataCondition { Key = "k", Operator = "eq", Values = null! }));
        Assert.Contains("Unknown operator ''. Use one of: eq, neq, contains, starts_with, exists, not_exists, lt, lte, gt, gte, between, date_before, date_after, date_between.",
            Errors(new MetadataCondition { Key = "k", Operator = null!, Values = [] }));
    }
}
