using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Octocom.Dashboard.Tests.E2E;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.ChatApi;

/// <summary>Its own dashboard (so the conversations it creates do not change other end-to-end tests' counts).</summary>
public sealed class ChatE2EServerFixture : IDisposable
{
    public DashboardServer Server { get; } = new(null, demoConversations: 10);
    public void Dispose() => Server.Dispose();
}

/// <summary>Real Kestrel + Debian Chromium: the widget on the playground, the dashboard, and back.</summary>
[Collection(E2ECollection.Name)]
public sealed class ChatPlaygroundE2ETests(BrowserFixture browser, ChatE2EServerFixture fixture) : IClassFixture<ChatE2EServerFixture>
{
    private string BaseUrl => fixture.Server.BaseUrl;

    private static async Task SetCustomDataAsync(IPage playground, string key, string value)
    {
        await playground.FillAsync("input[data-testid=custom-data-key]", key);
        await playground.FillAsync("input[data-testid=custom-data-value]", value);
        await playground.ClickAsync("[data-testid=custom-data-set]");
        await Assertions.Expect(playground.Locator($"[data-testid=custom-data-row][data-key='{key}']")).ToBeVisibleAsync();
    }

    private static async Task SendInWidgetAsync(IPage playground, string text)
    {
        var before = await playground.Locator("[data-testid=octocom-message][data-sender=customer]").CountAsync();
        await playground.FillAsync("[data-testid=octocom-input]", text);
        await playground.ClickAsync("[data-testid=octocom-send]");
        await Assertions.Expect(playground.Locator("[data-testid=octocom-message][data-sender=customer]")).ToHaveCountAsync(before + 1);
    }

    [Fact]
    public async Task Playground_CustomDataAndReplies_FlowBetweenWidgetAndDashboard()
    {
        var playground = await browser.NewPageAsync();
        await playground.LoginAsync(BaseUrl, "admin@demo.octocom.local", "/playground");
        await playground.WaitForSelectorAsync("[data-testid=custom-data-panel]");
        await Assertions.Expect(playground.Locator("[data-testid=octocom-launcher]")).ToBeVisibleAsync();

        await SetCustomDataAsync(playground, "user_id", "e2e-123");
        await SetCustomDataAsync(playground, "email", " E2E.Visitor@Example.com");
        // Only the exact prefix counts: these must not reach the conversation.
        await playground.EvaluateAsync("() => { localStorage.setItem('Octocom:Data:shouting', 'x'); localStorage.setItem('octocom:dataglued', 'x'); }");

        await playground.ClickAsync("[data-testid=octocom-launcher]");
        await SendInWidgetAsync(playground, "Hi, I need help with my order");
        var link = playground.Locator("[data-testid=playground-conversation-link]");
        await Assertions.Expect(link).ToBeVisibleAsync();
        var publicId = (await link.TextContentAsync())!.Trim().TrimStart('#');
        await playground.ScreenshotToAsync("chat-playground");

        var dashboard = await playground.Context.NewPageAsync();
        await dashboard.GotoAsync($"{BaseUrl}/conversations/{publicId}");
        await dashboard.WaitForBlazorAsync();
        await Assertions.Expect(dashboard.Locator("[data-testid=message][data-sender=customer]")).ToContainTextAsync("I need help with my order");
        await Assertions.Expect(dashboard.Locator("[data-testid=metadata-value][data-key='chat-widget:user_id']")).ToContainTextAsync("e2e-123");
        await Assertions.Expect(dashboard.Locator("[data-testid=customer-email]")).ToHaveTextAsync("e2e.visitor@example.com");
        Assert.Equal(0, await dashboard.Locator("[data-key='chat-widget:Octocom:Data:shouting']").CountAsync());
        Assert.Equal(0, await dashboard.Locator("[data-key='chat-widget:glued']").CountAsync());
        Assert.Equal(0, await dashboard.Locator("[data-key='chat-widget:octocom:dataglued']").CountAsync());

        // Data set mid-conversation goes out with the next message; the open conversation page updates live.
        await SetCustomDataAsync(playground, "plan", "enterprise");
        await SendInWidgetAsync(playground, "I just upgraded");
        await Assertions.Expect(dashboard.Locator("[data-testid=metadata-value][data-key='chat-widget:plan']")).ToContainTextAsync("enterprise");
        await Assertions.Expect(dashboard.Locator("[data-testid=message][data-sender=customer]")).ToHaveCountAsync(2);
        await dashboard.ScreenshotToAsync("chat-conversation");

        // The agent's reply reaches the widget.
        await dashboard.FillAsync("textarea[data-testid=reply-input]", "Thanks! Your **enterprise** plan is active.");
        await dashboard.ClickAsync("[data-testid=reply-send]");
        await Assertions.Expect(playground.Locator("[data-testid=octocom-message][data-sender=agent]")).ToContainTextAsync("plan is active");

        // A reload keeps the conversation: the history comes back into the widget.
        await playground.ReloadAsync();
        await playground.WaitForBlazorAsync();
        await Assertions.Expect(playground.Locator("[data-testid=octocom-message]")).ToHaveCountAsync(3);
        await Assertions.Expect(playground.Locator("[data-testid=playground-conversation-link]")).ToHaveTextAsync("#" + publicId);

        // "Talk to a person" hands the conversation off; the agent's open page shows the new status live.
        await playground.EvaluateAsync("() => window.OctocomChat.open()");
        await playground.ClickAsync("[data-testid=octocom-human]");
        await Assertions.Expect(playground.Locator("[data-testid=octocom-notice]")).ToContainTextAsync("a person from our team");
        await Assertions.Expect(dashboard.Locator("[data-testid=status-chip]")).ToHaveTextAsync("Handed off");
    }

    [Fact]
    public async Task BusinessSettings_AdminCreatesABusiness_SeesItsEmbedSnippetAndTheScriptIsServed()
    {
        var page = await browser.NewPageAsync();
        await page.LoginAsync(BaseUrl, "admin@demo.octocom.local", "/settings/businesses");
        await page.ClickAsync("[data-testid=business-new]");
        await page.FillAsync("input[data-testid=business-name]", "E2E Outdoor");
        await page.FillAsync("input[data-testid=business-slug]", "e2e-outdoor");
        await page.FillAsync("textarea[data-testid=business-origins]", "https://outdoor.example/\nnot an origin");
        await page.ClickAsync("[data-testid=business-save]");
        await Assertions.Expect(page.Locator("[data-testid=business-error]")).ToContainTextAsync("not");

        await page.FillAsync("textarea[data-testid=business-origins]", "https://Outdoor.example/");
        await page.ClickAsync("[data-testid=business-save]");

        var card = page.Locator("[data-testid=business-card][data-slug=e2e-outdoor]");
        await Assertions.Expect(card.Locator("[data-testid=business-allowed-origins]")).ToContainTextAsync("https://outdoor.example");
        var snippet = (await card.Locator("[data-testid=embed-snippet-code]").TextContentAsync())!;
        Assert.Matches(new Regex("^<script src=\"http://127\\.0\\.0\\.1:\\d+/assets/chat-widget/octocom-chat\\.js\" data-business=\"e2e-outdoor\" async></script>$"), snippet);

        var src = Regex.Match(snippet, "src=\"([^\"]+)\"").Groups[1].Value;
        var script = await page.APIRequest.GetAsync(src);
        Assert.Equal(200, script.Status);
        Assert.Contains("octocom:data:", await script.TextAsync());
    }

    [Theory]
    [InlineData("/playground")]
    [InlineData("/settings/businesses")]
    public async Task Agent_OpeningAnAdminPage_SeesAccessDenied(string path)
    {
        var page = await browser.NewPageAsync();
        await page.LoginAsync(BaseUrl, "agent@demo.octocom.local", path);
        await Assertions.Expect(page.GetByText("You don't have access to this page")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-testid=octocom-launcher]").CountAsync());
    }
}
