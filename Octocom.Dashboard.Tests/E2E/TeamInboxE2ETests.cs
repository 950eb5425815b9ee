using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Tests.ChatApi;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.E2E;

/// <summary>Its own dashboard, so the conversations these tests create and take leave other end-to-end tests' counts alone.</summary>
public sealed class TeamInboxServerFixture : IAsyncLifetime
{
    public const string SecondAgent = "agent.b@demo.octocom.local";
    public DashboardServer Server { get; } = new(null, demoConversations: 10);

    public async Task InitializeAsync()
    {
        await using var scope = Server.ScopeFor(1, "test");
        var created = await scope.Get<UserAdminService>().CreateAsync(new NewUser(SecondAgent, "Bea Agent", Roles.Agent, TestSettings.DemoPassword));
        Assert.True(created.Succeeded, created.ErrorText);
    }

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>Two agents in two browser contexts on one live team inbox; visitor messages arrive through the public chat API.</summary>
[Collection(E2ECollection.Name)]
public sealed partial class TeamInboxE2ETests(BrowserFixture browser, TeamInboxServerFixture fixture) : IClassFixture<TeamInboxServerFixture>
{
    private const string Business = "trailhead";
    private static readonly LocatorAssertionsToBeVisibleOptions Live = new() { Timeout = 15_000 };
    private string BaseUrl => fixture.Server.BaseUrl;

    private static ILocator RowLink(IPage page, string publicId) =>
        page.Locator("[data-testid=inbox-row-link]", new() { HasTextString = "#" + publicId });

    private static async Task<int> TitleCountAsync(IPage page)
    {
        var match = TitleCount().Match(await page.TitleAsync());
        return match.Success ? int.Parse(match.Groups[1].Value) : 0;
    }

    [Fact]
    public async Task VisitorMessage_AppearsInBothInboxesLive_AgentATakesIt_ItLeavesBsUnassignedView()
    {
        var agentA = await browser.NewPageAsync();
        var agentB = await browser.NewPageAsync();
        await agentA.LoginAsync(BaseUrl, "agent@demo.octocom.local", "/inbox?view=unassigned");
        await agentB.LoginAsync(BaseUrl, TeamInboxServerFixture.SecondAgent, "/inbox?view=unassigned");
        await agentA.WaitForSelectorAsync("[data-testid=inbox-table]");
        await agentB.WaitForSelectorAsync("[data-testid=inbox-table]");
        var titleA = await TitleCountAsync(agentA);
        var titleB = await TitleCountAsync(agentB);

        using var visitor = new ChatApiClient(BaseUrl);
        var chat = await visitor.StartAsync(Business, new { message = "My trekking poles never arrived" });
        Assert.Equal(HttpStatusCode.OK, (await visitor.SendAsync(Business, chat.ConversationId, chat.Token, new { message = "Order 4711, please check" })).StatusCode);

        // Both inboxes show it without a reload, unread, and the tab titles count it.
        await Assertions.Expect(RowLink(agentA, chat.PublicId)).ToBeVisibleAsync(Live);
        await Assertions.Expect(RowLink(agentB, chat.PublicId)).ToBeVisibleAsync(Live);
        await Assertions.Expect(agentB.Locator("tr.octo-unread", new() { Has = RowLink(agentB, chat.PublicId) })).ToBeVisibleAsync(Live);
        await Assertions.Expect(agentA).ToHaveTitleAsync($"({titleA + 1}) Inbox · Octocom", new() { Timeout = 15_000 });
        await Assertions.Expect(agentB).ToHaveTitleAsync($"({titleB + 1}) Inbox · Octocom", new() { Timeout = 15_000 });
        await agentB.ScreenshotToAsync("team-inbox-unassigned");

        // Agent A takes it from the inbox (select the row, "Assign to me").
        var rowA = agentA.Locator("tr", new() { Has = RowLink(agentA, chat.PublicId) });
        await rowA.Locator("input[data-testid=inbox-select], [data-testid=inbox-select] input").CheckAsync();
        await agentA.ClickAsync("[data-testid=bulk-assign-me]");

        // It leaves B's Unassigned view (and A's), and both titles drop the count again.
        await Assertions.Expect(RowLink(agentB, chat.PublicId)).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await Assertions.Expect(RowLink(agentA, chat.PublicId)).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await Assertions.Expect(agentB).ToHaveTitleAsync(titleB == 0 ? "Inbox · Octocom" : $"({titleB}) Inbox · Octocom", new() { Timeout = 15_000 });

        // A finds it under Mine, assigned to them; opening it marks it read.
        await agentA.ClickAsync("[data-testid=inbox-view-mine]");
        await Assertions.Expect(RowLink(agentA, chat.PublicId)).ToBeVisibleAsync(Live);
        await RowLink(agentA, chat.PublicId).ClickAsync();
        await Assertions.Expect(agentA.Locator("[data-testid=assignee-name]")).ToContainTextAsync("Octocom Demo Agent", new() { Timeout = 15_000 });
        await Assertions.Expect(agentA.Locator("[data-testid=timeline-event][data-type=conversation_assigned]")).ToContainTextAsync("Assigned to",
            new() { Timeout = 15_000 });

        // B opens the same conversation: each sees the other on it.
        await agentB.GotoAsync($"{BaseUrl}/conversations/{chat.PublicId}");
        await agentB.WaitForBlazorAsync();
        await Assertions.Expect(agentA.Locator("[data-testid=presence-agent]")).ToContainTextAsync("Bea Agent is viewing", new() { Timeout = 15_000 });
        await Assertions.Expect(agentB.Locator("[data-testid=presence-agent]")).ToContainTextAsync("is viewing", new() { Timeout = 15_000 });
        await agentA.Locator("textarea[data-testid=reply-input]").PressSequentiallyAsync("On it");
        await Assertions.Expect(agentB.Locator("[data-testid=presence-agent]")).ToContainTextAsync("is typing", new() { Timeout = 15_000 });

        // A later visitor message notifies A, the owner.
        Assert.Equal(HttpStatusCode.OK, (await visitor.SendAsync(Business, chat.ConversationId, chat.Token, new { message = "Any news?" })).StatusCode);
        await Assertions.Expect(agentA.Locator("[data-testid=notification-count]")).ToContainTextAsync("1", new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task FullTextSearch_FindsAConversationByAWordInItsThirdMessage()
    {
        using var visitor = new ChatApiClient(BaseUrl);
        var chat = await visitor.StartAsync(Business, new { message = "Hello" });
        await visitor.SendAsync(Business, chat.ConversationId, chat.Token, new { message = "I bought a tent last week" });
        await visitor.SendAsync(Business, chat.ConversationId, chat.Token, new { message = "The groundsheet has a tear near the zygomorphic seam" });

        var page = await browser.NewPageAsync();
        await page.LoginAsync(BaseUrl, "agent@demo.octocom.local", "/inbox");
        await page.FillAsync("input[data-testid=inbox-search]", "zygomorphic");
        await Assertions.Expect(page.Locator("[data-testid=inbox-row-link]")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(RowLink(page, chat.PublicId)).ToBeVisibleAsync(Live);
        await Assertions.Expect(page.Locator("[data-testid=search-snippet] mark")).ToHaveTextAsync(new Regex("^zygomorphic$", RegexOptions.IgnoreCase),
            new() { Timeout = 15_000 });
        await page.ScreenshotToAsync("team-inbox-search");

        // Query syntax is text: no error, no crash, the page still answers.
        await page.FillAsync("input[data-testid=inbox-search]", "\"zygo* NEAR(");
        await Assertions.Expect(page.Locator("[data-testid=inbox-empty]")).ToBeVisibleAsync(Live);
        Assert.Equal(0, await page.Locator("#blazor-error-ui:visible").CountAsync());
    }

    [GeneratedRegex(@"^\((\d+)\) Inbox")]
    private static partial Regex TitleCount();
}
