using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;
using Octocom.Dashboard.Widgets;

namespace Octocom.Dashboard.Tests.Widgets;

/// <summary>The demo widgets, run for real on every demo conversation: valid, offline, never failing.</summary>
public sealed class DemoWidgetsContributorTests : IAsyncLifetime
{
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await TestApp.CreateAsync(demoData: true, demoConversations: 40,
        settings: new Dictionary<string, string?> { ["Scripting:PoolSize"] = "4", ["Widgets:CacheDuration"] = "00:00:00" });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task DemoData_EachOrganization_GetsTheThreeWidgetsInOrderWithAVersion()
    {
        foreach (var organizationId in new[] { 1, 2 })
        {
            await using var scope = _app.ScopeFor(organizationId);
            var widgets = await scope.Get<SidebarWidgetRunner>().GetActiveAsync();
            Assert.Equal(["Customer profile", "Orders", "CRM"], widgets.Select(w => w.Name));
            await using var db = scope.Db();
            var ids = widgets.Select(w => w.Id).ToList();
            Assert.Equal(3, await db.PythonFunctionVersions.CountAsync(v => ids.Contains(v.FunctionId) && v.Version == 1));
        }
    }

    [Fact]
    public async Task DemoWidgets_EveryDemoConversation_ReturnValidResultsWithoutWarnings()
    {
        await using var scope = _app.ScopeFor(1);
        var runner = scope.Get<SidebarWidgetRunner>();
        var widgets = await runner.GetActiveAsync();
        await using var db = scope.Db();
        var conversations = await db.Conversations.Select(c => c.Id).ToListAsync();

        var withItems = new Dictionary<string, int>();
        foreach (var conversation in conversations)
        {
            await foreach (var run in runner.RunAllAsync(widgets, conversation))
            {
                Assert.True(run.Outcome.Status == ScriptRunStatus.Ok,
                    $"{run.Widget.Name} on {conversation}: {run.Outcome.Status} {run.Outcome.Error?.Message} {string.Join("; ", run.Outcome.Result?.Problems ?? [])}");
                Assert.Empty(run.Outcome.Result!.Problems);
                if (run.Outcome.CardState == WidgetCardState.Ok)
                    withItems[run.Widget.Name] = withItems.GetValueOrDefault(run.Widget.Name) + 1;
            }
        }

        // Every widget has something to show on some conversations (and handles the others with an empty card).
        Assert.All(widgets, w => Assert.True(withItems.GetValueOrDefault(w.Name) > 0, $"{w.Name} never showed an item"));
        Assert.True(withItems["Orders"] < conversations.Count, "some conversations have no orders: the empty card must be exercised too");
    }
}
