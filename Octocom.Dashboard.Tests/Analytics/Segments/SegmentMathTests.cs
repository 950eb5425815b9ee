using Octocom.Dashboard.Analytics.Segments;

namespace Octocom.Dashboard.Tests.Analytics.Segments;

public sealed class SegmentMathTests
{
    private static double Median(params int[] values)
    {
        var histogram = values.GroupBy(v => v).OrderBy(g => g.Key).Select(g => new KeyValuePair<int, long>(g.Key, g.Count()));
        return SegmentAccumulator.Median(histogram, values.Length);
    }

    [Theory]
    [InlineData(new[] { 5 }, 5.0)]
    [InlineData(new[] { 1, 9 }, 5.0)]
    [InlineData(new[] { 3, 1, 2 }, 2.0)]
    [InlineData(new[] { 4, 4, 4, 10 }, 4.0)]
    [InlineData(new[] { 1, 2, 3, 4, 100, 200 }, 3.5)]
    [InlineData(new[] { 2, 2, 3, 3 }, 2.5)]
    public void Median_Histogram_MatchesTheSortedMiddle(int[] values, double expected) => Assert.Equal(expected, Median(values));

    [Fact]
    public void Median_Empty_IsZero() => Assert.Equal(0, SegmentAccumulator.Median([], 0));

    [Fact]
    public void Accumulator_Merge_AddsCountsAndHistograms()
    {
        var a = new SegmentAccumulator();
        a.Add(messageCount: 2, conversations: 3, handedOff: 1, closed: 2);
        var b = new SegmentAccumulator();
        b.Add(messageCount: 10, conversations: 1, handedOff: 1, closed: 0);
        a.Add(b);
        var row = a.ToRow("x", SegmentKind.Other, null, total: 8);
        Assert.Equal((4, 0.5, 2, 0.5, 0.5, 2.0), (row.Conversations, row.Share, row.HandedOff, row.HandoffRate, row.CloseRate, row.MedianMessages));
    }

    [Fact]
    public void Edges_SkewedPositiveValues_UseOneTwoFiveSteps() =>
        Assert.Equal([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000], NumericBuckets.Edges(1.03, 1096.6));

    [Fact]
    public void Edges_ValuesFromZero_StartAtZeroAndSpanThreeDecades() =>
        Assert.Equal([0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000], NumericBuckets.Edges(0, 665));

    [Fact]
    public void Edges_NarrowRange_UsesEqualNiceSteps() => Assert.Equal([0, 2, 4, 6, 8, 10, 12], NumericBuckets.Edges(0, 11));

    [Fact]
    public void Edges_NegativeValues_UseEqualSteps() => Assert.Equal([-60, -40, -20, 0, 20, 40, 60], NumericBuckets.Edges(-50, 45));

    [Fact]
    public void Edges_Decimals_AvoidBinaryNoise() => Assert.Equal([2.1, 2.11, 2.12, 2.13, 2.14, 2.15, 2.16, 2.17, 2.18], NumericBuckets.Edges(2.1, 2.17));

    [Fact]
    public void Edges_SingleValue_IsOneBucketHoldingIt()
    {
        var edges = NumericBuckets.Edges(7, 7);
        Assert.Equal(2, edges.Count);
        Assert.True(edges[0] <= 7 && 7 < edges[1]);
    }

    [Theory]
    [InlineData(0.0, 665.0)]
    [InlineData(3.0, 1e9)]
    [InlineData(-1e6, 1e6)]
    [InlineData(0.001, 0.002)]
    public void Edges_AnyRange_CoverMinToMaxAscendingWithFewBuckets(double min, double max)
    {
        var edges = NumericBuckets.Edges(min, max);
        Assert.True(edges[0] <= min && edges[^1] > max);
        Assert.True(edges.Zip(edges.Skip(1)).All(p => p.First < p.Second));
        Assert.InRange(edges.Count - 1, 1, 16);
    }
}
