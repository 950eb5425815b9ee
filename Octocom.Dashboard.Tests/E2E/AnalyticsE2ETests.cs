using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.E2E;

/// <summary>Real Kestrel + Debian Chromium: a manager builds a filter, segments it, sees the charts and exports CSV.</summary>
[Collection(E2ECollection.Name)]
public sealed class AnalyticsE2ETests(BrowserFixture browser, DashboardServerFixture server)
{
    private const string Plan = "chat-widget:plan";
    private const string Cart = "chat-widget:cart_value";

    /// <summary>Demo conversations with plan = standard and a cart value above 10, counted directly in the database.</summary>
    private async Task<int> ExpectedMatchesAsync()
    {
        await using var scope = server.Server.ScopeFor(1);
        await using var db = scope.Db();
        return await db.Conversations.CountAsync(c =>
            c.Metadata.Any(m => m.Key == Plan && m.Value == "standard") && c.Metadata.Any(m => m.Key == Cart && m.NumericValue > 10));
    }

    private static async Task ChooseKeyAsync(IPage page, int row, string key)
    {
        var input = page.Locator("input[data-testid=condition-key]").Nth(row);
        await input.ClickAsync();
        await input.FillAsync(key.Split(':')[^1]);
        await page.Locator(".mud-popover-open [data-testid=key-option]", new() { HasTextString = key }).First.ClickAsync();
        await Assertions.Expect(input).ToHaveValueAsync(key);
    }

    [Fact]
    public async Task Manager_BuildsTwoConditionFilter_SegmentsByUtmSource_ExportsCsv()
    {
        var expected = await ExpectedMatchesAsync();
        Assert.True(expected > 0);
        var page = await browser.NewPageAsync();
        await page.LoginAsync(server.BaseUrl, "manager@demo.octocom.local", "/analytics");
        await page.WaitForSelectorAsync("[data-testid=filter-builder]");

        // Condition 1: plan equals standard (picked from the suggested values).
        await page.ClickAsync("[data-testid=add-condition]");
        await ChooseKeyAsync(page, 0, Plan);
        await page.Locator("[data-testid=value-suggestion]", new() { HasTextString = "standard" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=condition-value]")).ToHaveTextAsync("standard");

        // Condition 2: cart_value > 10.
        await page.ClickAsync("[data-testid=add-condition]");
        await ChooseKeyAsync(page, 1, Cart);
        await page.Locator("[data-testid=condition-op]").Nth(1).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasTextString = ">" }).First.ClickAsync();
        await Assertions.Expect(page.Locator("input[data-testid=condition-bound-0]")).ToBeVisibleAsync();
        await page.FillAsync("input[data-testid=condition-bound-0]", "10");
        await Assertions.Expect(page.Locator("input[data-testid=condition-bound-0]")).ToHaveValueAsync("10");
        await page.ClickAsync("[data-testid=apply-filter]");
        await Assertions.Expect(page.Locator("[data-testid=condition-error]")).ToHaveCountAsync(0);

        await page.WaitForURLAsync(new Regex(@"c1\.op=gt"), new() { WaitUntil = WaitUntilState.Commit });
        Assert.Contains("c0.key=chat-widget%3Aplan&c0.op=eq&c0.v=standard", page.Url);
        await Assertions.Expect(page.Locator("[data-testid=analytics-total]")).ToHaveTextAsync($"{expected:N0} conversations");
        await Assertions.Expect(page.Locator("[data-testid=results-row-link]")).ToHaveCountAsync(Math.Min(expected, 25));

        // Segment by utm_source: the table and the bar chart appear.
        await page.Locator("[data-testid=segment-key]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasTextString = "chat-widget:utm_source (" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("segment=chat-widget%3Autm_source"), new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator("[data-testid=segment-chart] svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=segment-chart] svg rect, [data-testid=segment-chart] svg path").First).ToBeAttachedAsync();
        var counts = await page.Locator("[data-testid=segment-count]").AllTextContentsAsync();
        Assert.Equal(expected, counts.Sum(c => int.Parse(c.Replace(",", ""))));
        await page.ScreenshotToAsync("analytics");

        // Export both CSVs through the browser (download events).
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=export-conversations]"));
        Assert.EndsWith(".csv", download.SuggestedFilename);
        var lines = (await File.ReadAllLinesAsync(await download.PathAsync())).Where(l => l.Length > 0).ToList();
        Assert.StartsWith("public_id,url,subject", lines[0]);
        Assert.EndsWith($"{Plan},{Cart},chat-widget:utm_source", lines[0]);
        Assert.Equal(expected, lines.Count - 1);
        Assert.All(lines.Skip(1), l => Assert.Contains(",standard,", l));

        var segments = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=export-segments]"));
        var segmentLines = (await File.ReadAllLinesAsync(await segments.PathAsync())).Where(l => l.Length > 0).ToList();
        Assert.Equal(counts.Count + 1, segmentLines.Count);

        // The URL is the view: opening it elsewhere shows the same filter, total and segments.
        var shared = await browser.NewPageAsync();
        await shared.LoginAsync(server.BaseUrl, "manager@demo.octocom.local", new Uri(page.Url).PathAndQuery);
        await Assertions.Expect(shared.Locator("[data-testid=analytics-total]")).ToHaveTextAsync($"{expected:N0} conversations");
        await Assertions.Expect(shared.Locator("[data-testid=condition-row]")).ToHaveCountAsync(2);
        await Assertions.Expect(shared.Locator("input[data-testid=condition-bound-0]")).ToHaveValueAsync("10");
        await Assertions.Expect(shared.Locator("[data-testid=segment-row]")).ToHaveCountAsync(counts.Count);
    }

    [Fact]
    public async Task Manager_SavesView_AndOpensItLater()
    {
        var page = await browser.NewPageAsync();
        await page.LoginAsync(server.BaseUrl, "admin@demo.octocom.local", "/analytics?c0.key=chat-widget%3Alocale&c0.op=neq&c0.v=de-DE&segment=chat-widget%3Alocale");
        await page.WaitForSelectorAsync("[data-testid=segment-row]");
        await page.FillAsync("input[data-testid=saved-view-name]", "Not German");
        await page.ClickAsync("[data-testid=save-view]");
        await Assertions.Expect(page.Locator("[data-testid=saved-view][data-name='Not German']")).ToBeVisibleAsync();

        await page.GotoAsync($"{server.BaseUrl}/analytics");
        await page.WaitForBlazorAsync();
        await page.Locator("[data-testid=saved-view][data-name='Not German']").ClickAsync();
        await page.WaitForURLAsync(new Regex("c0.v=de-DE"), new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator("[data-testid=segment-value]", new() { HasTextString = "de-DE" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=condition-value]")).ToHaveTextAsync("de-DE");

        // Another user does not see it.
        var manager = await browser.NewPageAsync();
        await manager.LoginAsync(server.BaseUrl, "manager@demo.octocom.local", "/analytics");
        await manager.WaitForSelectorAsync("[data-testid=saved-views]");
        await Assertions.Expect(manager.Locator("[data-testid=saved-view][data-name='Not German']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Agent_CannotOpenAnalytics()
    {
        var page = await browser.NewPageAsync();
        await page.LoginAsync(server.BaseUrl, "agent@demo.octocom.local", "/analytics");
        await Assertions.Expect(page.Locator("[data-testid=filter-builder]")).ToHaveCountAsync(0);
    }
}
