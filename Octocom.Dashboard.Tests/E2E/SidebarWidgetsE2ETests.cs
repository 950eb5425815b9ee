using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;
using Octocom.Dashboard.Tests.Widgets;

namespace Octocom.Dashboard.Tests.E2E;

/// <summary>
/// Its own dashboard (so its widgets are the only active ones) and a fake customer API on 127.0.0.1 that the seed's
/// example widgets call: CRM answers at once, Warranties after one second, and the Wholesale account lacks the
/// field the seed's script reads, so that widget raises.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WidgetsE2ECollection : ICollectionFixture<BrowserFixture>, ICollectionFixture<WidgetsServerFixture>
{
    public const string Name = "Sidebar widgets E2E";
}

public sealed class WidgetsServerFixture : IAsyncLifetime
{
    public DashboardServer Server { get; private set; } = default!;
    public FakeCustomerApi Api { get; private set; } = default!;
    public string BaseUrl => Server.BaseUrl;

    public async Task InitializeAsync()
    {
        Api = await FakeCustomerApi.StartAsync(new Dictionary<string, TimeSpan> { ["/warranties"] = TimeSpan.FromSeconds(1) },
            wholesaleWithoutCompany: true);
        Server = new DashboardServer(new Dictionary<string, string?>
        {
            ["Scripting:PoolSize"] = "4",
            ["Widgets:CacheDuration"] = "00:05:00",
        });
        await using var scope = Server.ScopeFor(1);
        await using var db = scope.Db();
        await db.PythonFunctions.Where(f => f.Kind == FunctionKind.SidebarWidget)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.IsActive, false)); // the demo widgets
        db.PythonFunctions.AddRange(
            Widget("Warranties", SeedWidgetScripts.Warranties(Api.BaseUrl), 1), // slow, and first in the sidebar
            Widget("CRM", SeedWidgetScripts.Crm(Api.BaseUrl), 2),
            Widget("Wholesale", SeedWidgetScripts.Wholesale(Api.BaseUrl), 3));
        await db.SaveChangesAsync();
    }

    private static PythonFunction Widget(string name, string code, int order) =>
        new() { Kind = FunctionKind.SidebarWidget, Name = "Seed " + name, Code = code, SortOrder = order };

    /// <summary>Conversations of identified customers with an email, so the seed's widgets call the API.</summary>
    public async Task<List<Conversation>> CustomerConversationsAsync()
    {
        await using var scope = Server.ScopeFor(1);
        await using var db = scope.Db();
        return await db.Conversations.Include(c => c.Customer).Include(c => c.Messages)
            .Where(c => c.Customer != null && c.Customer.Email != null && c.MessageCount >= 2)
            .OrderBy(c => c.PublicId).Take(5).ToListAsync();
    }

    public async Task DisposeAsync()
    {
        Server.Dispose();
        await Api.DisposeAsync();
    }
}

[Collection(WidgetsE2ECollection.Name)]
public sealed class SidebarWidgetsE2ETests(BrowserFixture browser, WidgetsServerFixture server)
{
    /// <summary>
    /// Records, in the order the DOM changed, when messages first appear and when each card first reaches each
    /// state — ordering evidence without timing thresholds.
    /// </summary>
    private const string RecordAppearances = """
        window.__appeared = [];
        (() => {
          const seen = new Set();
          const note = what => { if (!seen.has(what)) { seen.add(what); window.__appeared.push(what); } };
          const scan = () => {
            if (document.querySelector('[data-testid=message]')) note('messages');
            document.querySelectorAll('[data-testid=widget-card]').forEach(c => note(c.dataset.widget + ':' + c.dataset.state));
          };
          new MutationObserver(scan).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
        })();
        """;

    private static ILocator Card(IPage page, string widget) => page.Locator($"[data-testid=widget-card][data-widget='Seed {widget}']");

    [Fact]
    public async Task Agent_OpensConversation_MessagesFirstThenTheFastCardBeforeTheSlowOneAndAnErrorCard()
    {
        var conversation = (await server.CustomerConversationsAsync())[0];
        var page = await browser.NewPageAsync();
        await page.Context.AddInitScriptAsync(RecordAppearances);

        await page.LoginAsync(server.BaseUrl, "agent@demo.octocom.local", $"/conversations/{conversation.PublicId}");

        await Assertions.Expect(Card(page, "Warranties")).ToHaveAttributeAsync("data-state", "ok");
        await Assertions.Expect(Card(page, "Wholesale")).ToHaveAttributeAsync("data-state", "error");
        await Assertions.Expect(Card(page, "CRM")).ToHaveAttributeAsync("data-state", "ok");
        var appeared = JsonSerializer.Deserialize<List<string>>(await page.EvaluateAsync<string>("JSON.stringify(window.__appeared)"))!;

        // The conversation was on screen before any widget had finished.
        var firstFinished = appeared.FindIndex(a => a.StartsWith("Seed ") && !a.EndsWith(":loading"));
        Assert.True(appeared.IndexOf("messages") is >= 0 and var m && m < firstFinished, string.Join(", ", appeared));
        // Each card showed its loading state, and the fast CRM card was filled before the slow Warranties card.
        Assert.Contains("Seed Warranties:loading", appeared);
        Assert.Contains("Seed CRM:loading", appeared);
        Assert.True(appeared.IndexOf("Seed CRM:ok") < appeared.IndexOf("Seed Warranties:ok"), string.Join(", ", appeared));
        // The sidebar keeps the configured order whatever finished first.
        Assert.Equal(["Seed Warranties", "Seed CRM", "Seed Wholesale"],
            await page.Locator("[data-testid=widget-card]").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.widget)"));

        await Assertions.Expect(Card(page, "CRM").Locator("[data-testid=widget-items]")).ToContainTextAsync("Premium");
        await Assertions.Expect(Card(page, "Warranties").Locator("[data-testid=widget-items]")).ToContainTextAsync("Summit 2 Tent");
        await Assertions.Expect(Card(page, "Wholesale").Locator("[data-testid=widget-error-message]"))
            .ToHaveTextAsync("KeyError: 'companyName' (line 25)");
        await Assertions.Expect(page.Locator("[data-testid=message]")).ToHaveCountAsync(conversation.Messages.Count);
        await page.ScreenshotToAsync("sidebar-widgets");
    }

    [Fact]
    public async Task Agent_RevisitsConversation_SeesCachedCardsAndRefreshRunsTheWidgetAgain()
    {
        var conversation = (await server.CustomerConversationsAsync())[1];
        var page = await browser.NewPageAsync();
        await page.LoginAsync(server.BaseUrl, "agent@demo.octocom.local", $"/conversations/{conversation.PublicId}");
        await Assertions.Expect(Card(page, "CRM")).ToHaveAttributeAsync("data-state", "ok");
        await Assertions.Expect(Card(page, "Warranties")).ToHaveAttributeAsync("data-state", "ok");
        var crmCalls = server.Api.Hits("/customers");
        var warrantyCalls = server.Api.Hits("/warranties");

        await page.ClickAsync("[data-testid=nav-inbox]");
        await page.WaitForSelectorAsync("[data-testid=inbox-row-link]");
        await page.GotoAsync($"{server.BaseUrl}/conversations/{conversation.PublicId}");
        await page.WaitForBlazorAsync();
        await Assertions.Expect(Card(page, "CRM")).ToHaveAttributeAsync("data-state", "ok");
        Assert.Equal(crmCalls, server.Api.Hits("/customers")); // from the cache: the customer's API was not called again

        await Card(page, "CRM").Locator("[data-testid=widget-refresh]").ClickAsync();
        await WaitUntilAsync(() => server.Api.Hits("/customers") == crmCalls + 1, "the refresh never reached the customer's API");
        await Assertions.Expect(Card(page, "CRM").Locator("[data-testid=widget-refresh]")).ToBeEnabledAsync();
        await Assertions.Expect(Card(page, "CRM")).ToHaveAttributeAsync("data-state", "ok");
        Assert.Equal(warrantyCalls, server.Api.Hits("/warranties")); // only the refreshed widget ran
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(100);
        Assert.True(condition(), failure);
    }
}

/// <summary>The demo widgets on the shared demo server: a new user sees filled cards on the first conversation they open.</summary>
[Collection(E2ECollection.Name)]
public sealed class DemoWidgetsE2ETests(BrowserFixture browser, DashboardServerFixture server)
{
    [Fact]
    public async Task Agent_OpensADemoConversationWithOrders_SeesTheThreeDemoCards()
    {
        await using var scope = server.Server.ScopeFor(1);
        await using var db = scope.Db();
        var conversation = await db.Conversations
            .Where(c => c.Customer != null && c.Metadata.Any(m => m.Key == "chat-widget:recent_orders"))
            .OrderBy(c => c.PublicId).FirstAsync();
        var page = await browser.NewPageAsync();

        await page.LoginAsync(server.BaseUrl, "agent@demo.octocom.local", $"/conversations/{conversation.PublicId}");

        foreach (var widget in new[] { "Customer profile", "Orders", "CRM" })
            await Assertions.Expect(page.Locator($"[data-testid=widget-card][data-widget='{widget}']")).ToHaveAttributeAsync("data-state", "ok");
        var orders = page.Locator("[data-testid=widget-card][data-widget=Orders]");
        await Assertions.Expect(orders.Locator("[data-testid=widget-item]").First).ToContainTextAsync("Order ORD-");
        await Assertions.Expect(orders.Locator("[data-testid=widget-badge]").First).ToBeVisibleAsync();
        await page.ScreenshotToAsync("demo-widgets");
    }
}
