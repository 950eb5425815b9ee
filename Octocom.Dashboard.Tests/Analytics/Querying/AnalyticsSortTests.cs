using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Analytics.Querying;

namespace Octocom.Dashboard.Tests.Analytics.Querying;

/// <summary>
/// The sort table's codes are part of the URL and API contract (hand-written here); that SQL and the in-memory sort
/// agree for every code is <see cref="AnalyticsQueryBuilderTests"/>' <c>Query_SmallResultSortedInMemory_MatchesTheSqlOrder</c>.
/// </summary>
public sealed class AnalyticsSortTests
{
    [Fact]
    public void Codes_AreEachColumnAscendingThenDescending() =>
        Assert.Equal(["activity", "-activity", "created", "-created", "messages", "-messages", "id", "-id"], AnalyticsSort.Codes);

    [Fact]
    public void IsIndexed_OnlyForTheDates() =>
        Assert.Equal(["activity", "-activity", "created", "-created"], AnalyticsSort.All.Where(s => s.IsIndexed).Select(s => s.Code));

    [Theory]
    [InlineData("-messages", "messages", true)]
    [InlineData("id", "id", false)]
    [InlineData("nonsense", "activity", true)]
    [InlineData(null, "activity", true)]
    public void Find_ReturnsTheSortOrTheDefault(string? code, string column, bool descending)
    {
        var sort = AnalyticsSort.Find(code);
        Assert.Equal((column, descending), (sort.ColumnName, sort.Descending));
    }

    [Fact]
    public void Default_IsTheQuerysDefault() => Assert.Equal(AnalyticsQuery.DefaultSort, AnalyticsSort.Default.Code);
}
