using Octocom.Dashboard.Analytics.Components;

namespace Octocom.Dashboard.Tests.Analytics.Components;

public sealed class SegmentPanelTickTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 1)]
    [InlineData(8, 2)]
    [InlineData(20, 5)]
    [InlineData(37, 10)]
    [InlineData(1_000, 200)]
    [InlineData(250_284, 100_000)]
    public void CountChart_GetsAboutFiveTicksOnA125Scale(long largestSegment, int expectedSpacing) =>
        Assert.Equal(expectedSpacing, SegmentPanel.TickSpacing(largestSegment));
}
