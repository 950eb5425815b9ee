using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;
using Octocom.Dashboard.Widgets;

namespace Octocom.Dashboard.Tests.Widgets;

/// <summary>
/// The runner over the real engine and database: parallel runs, run records (including Invalid for a result that
/// breaks the format), isolation of failures, the outcome cache and tenant isolation. Each test uses its own
/// organization, because the runner runs every active widget of an organization.
/// </summary>
public sealed class SidebarWidgetRunnerTests(SidebarWidgetRunnerTests.AppFixture fixture) : IClassFixture<SidebarWidgetRunnerTests.AppFixture>
{
    public sealed class AppFixture : IAsyncLifetime
    {
        public TestApp App { get; private set; } = default!;

        public async Task InitializeAsync()
        {
            App = await TestApp.CreateAsync(settings: new Dictionary<string, string?>
            {
                ["Scripting:PoolSize"] = "4",
                ["Scripting:Limits:SidebarWidget:Timeout"] = "00:00:05",
                ["Widgets:CacheDuration"] = "00:05:00",
            });
            await App.WarmUpEngineAsync(workers: 4);
        }

        public async Task DisposeAsync() => await App.DisposeAsync();
    }

    private readonly TestApp _app = fixture.App;

    private async Task<(TestData.Tenant Tenant, Conversation Conversation)> TenantWithConversationAsync()
    {
        var slug = "t" + Guid.NewGuid().ToString("N")[..10];
        var tenant = await _app.CreateTenantAsync(slug, slug + "-shop");
        var conversation = await _app.CreateConversationAsync(tenant, customer: new Customer { Email = "jane@example.com", Name = "Jane Doe" });
        return (tenant, conversation);
    }

    private async Task<List<SidebarWidgetRun>> RunAllAsync(TestData.Tenant tenant, Guid conversationId)
    {
        await using var scope = _app.ScopeFor(tenant.OrganizationId, "agent@acme.test");
        var runner = scope.Get<SidebarWidgetRunner>();
        var finished = new List<SidebarWidgetRun>();
        await foreach (var run in runner.RunAllAsync(await runner.GetActiveAsync(), conversationId)) finished.Add(run);
        return finished;
    }

    private async Task<WidgetRunOutcome> RunAsync(TestData.Tenant tenant, SidebarWidget widget, Guid conversationId, bool refresh = false)
    {
        await using var scope = _app.ScopeFor(tenant.OrganizationId, "agent@acme.test");
        return await scope.Get<SidebarWidgetRunner>().RunAsync(widget, conversationId, refresh);
    }

    private Task<List<ScriptRun>> RunsAsync(TestData.Tenant tenant) =>
        _app.QueryAsync(tenant.OrganizationId, db => db.ScriptRuns.OrderBy(r => r.Id).ToListAsync());

    private static double Field(SidebarWidgetRun run, string key) =>
        run.Outcome.Result!.Result.Items[0].Sections[0].Fields.Single(f => f.Key == key).Value!.GetValue<double>();

    [Fact]
    public async Task RunAllAsync_ThreeSlowWidgets_RunAtTheSameTime()
    {
        var (tenant, conversation) = await TenantWithConversationAsync();
        foreach (var name in new[] { "A", "B", "C" })
            await _app.CreateWidgetAsync(tenant, name, WidgetTestData.Returning(name, sleepSeconds: 1));

        var runs = await RunAllAsync(tenant, conversation.Id);

        Assert.Equal(3, runs.Count);
        Assert.All(runs, r => Assert.Equal(WidgetCardState.Ok, r.Outcome.CardState));
        // Overlap, not speed: every widget started (inside Python) before any of them finished.
        var lastStart = runs.Max(r => Field(r, "started"));
        var firstFinish = runs.Min(r => Field(r, "finished"));
        Assert.True(lastStart < firstFinish, $"the runs did not overlap: last start {lastStart}, first finish {firstFinish}");
    }

    [Fact]
    public async Task RunAllAsync_FastAndSlowWidgets_YieldsEachWhenItFinishes()
    {
        var (tenant, conversation) = await TenantWithConversationAsync();
        await _app.CreateWidgetAsync(tenant, "Slow", WidgetTestData.Returning("Slow", sleepSeconds: 1), sortOrder: 1);
        await _app.CreateWidgetAsync(tenant, "Fast", WidgetTestData.Returning("Fast"), sortOrder: 2);

        var runs = await RunAllAsync(tenant, conversation.Id);

        Assert.Equal(["Fast", "Slow"], runs.Select(r => r.Widget.Name));
    }

    [Fact]
    public async Task GetActiveAsync_InactiveAndOtherKinds_AreLeftOutAndOrderFollowsSortOrder()
    {
        var (tenant, _) = await TenantWithConversationAsync();
        await _app.CreateWidgetAsync(tenant, "Second", WidgetTestData.Returning("x"), sortOrder: 20);
        await _app.CreateWidgetAsync(tenant, "Off", WidgetTestData.Returning("x"), sortOrder: 5, active: false);
        await _app.CreateWidgetAsync(tenant, "First", WidgetTestData.Returning("x"), sortOrder: 10);
        await using (var scope = _app.ScopeFor(tenant.OrganizationId))
        await using (var db = scope.Db())
        {
            db.PythonFunctions.Add(new PythonFunction { Kind = FunctionKind.EventHandler, Name = "Handler", Code = "", EventType = EventTypes.ConversationClosed });
            await db.SaveChangesAsync();
        }

        await using var runnerScope = _app.ScopeFor(tenant.OrganizationId);
        var active = await runnerScope.Get<SidebarWidgetRunner>().GetActiveAsync();

        Assert.Equal(["First", "Second"], active.Select(w => w.Name));
    }

    [Fact]
    public async Task RunAllAsync_EveryRun_IsRecordedAsASidebarRunOfItsWidget()
    {
        var (tenant, conversation) = await TenantWithConversationAsync();
        var widget = await _app.CreateWidgetAsync(tenant, "CRM", WidgetTestData.Returning("CRM"), version: 4);

        var outcome = (await RunAllAsync(tenant, conversation.Id)).Single().Outcome;

        var run = Assert.Single(await RunsAsync(tenant));
        Assert.Equal(outcome.RunId, run.Id);
        Assert.Equal((FunctionKind.SidebarWidget, RunTrigger.Sidebar, ScriptRunStatus.Ok), (run.Kind, run.Trigger, run.Status));
        Assert.Equal((widget.Id, 4, "CRM"), (run.FunctionId, run.FunctionVersion, run.FunctionName));
        Assert.Equal(conversation.Id, run.ConversationId);
        Assert.Equal("agent@acme.test", run.TriggeredBy);
        Assert.True(run.DurationMs > 0);
        Assert.Contains(conversation.PublicId, run.ResultJson);
    }

    [Fact]
    public async Task RunAsync_ResultBreakingTheFormat_IsRecordedAsInvalidWithEveryProblem()
    {
        var (tenant, conversation) = await TenantWithConversationAsync();
        var widget = await _app.CreateWidgetAsync(tenant, "CRM", WidgetTestData.BreakingTheFormat);

        var outcome = await RunAsync(tenant, widget, conversation.Id);

        Assert.Equal(ScriptRunStatus.Invalid, outcome.Status);
        Assert.Equal(WidgetCardState.Invalid, outcome.CardState);
        Assert.Contains(outcome.Result!.Errors, p => p.Path == "items[0].badge.color");
        var run = Assert.Single(await RunsAsync(tenant));
        Assert.Equal(ScriptRunStatus.Invalid, run.Status);
        Assert.Equal(WidgetResultChecker.FormatErrorType, run.ErrorType);
        Assert.Contains("items[0].badge.color: 'purple' is not one of blue, green, red, yellow, gray", run.ErrorMessage);
        Assert.Contains("items[0].sections: is required", run.ErrorMessage);
        Assert.Contains("purple", run.ResultJson); // the raw result stays inspectable
        // The run log re-renders the stored run as the same error card.
        Assert.Equal(WidgetCardState.Invalid, WidgetRunOutcome.From(run, WidgetResults.Checker()).CardState);
    }

    [Fact]
    public async Task RunAsync_ResultBreakingTheFormat_AppliesNoEffects()
    {
        var (tenant, conversation) = await TenantWithConversationAsync();
        var invalid = await _app.CreateWidgetAsync(tenant, "Invalid", """
            def get_sidebar_data(context):
                set_conversation_metadata(context, "seen_by_invalid", "yes")
                return {"title": "CRM", "items": "none"}
            """);
        var valid = await _app.CreateWidgetAsync(tenant, "Valid", """
            def get_sidebar_data(context):
                set_conversation_metadata(context, "seen_by_valid", "yes")
                return {"title": "CRM", "items": []}
            """);

        Assert.Equal(ScriptRunStatus.Invalid, (await RunAsync(tenant, invalid, conversation.Id)).Status);
        Assert.Equal(WidgetCardState.Empty, (await RunAsync(tenant, valid, conversation.Id)).CardState);

        var keys = await _app.QueryAsync(tenant.OrganizationId, db =>
            db.ConversationMetadata.Where(m => m.ConversationId == conversation.Id).Select(m => m.Key).ToListAsync());
        Assert.Contains("seen_by_valid", keys);
        Assert.DoesNotContain("seen_by_invalid", keys);
    }

    [Fact]
    public async Task RunAllAsync_OneWidgetRaises_TheOthersStillShowTheirResults()
    {
        var (tenant, conversation) = await TenantWithConversationAsync();
        await _app.CreateWidgetAsync(tenant, "Wholesale", WidgetTestData.Raising, sortOrder: 1);
        await _app.CreateWidgetAsync(tenant, "CRM", WidgetTestData.Returning("CRM"), sortOrder: 2);
        await _app.CreateWidgetAsync(tenant, "Warranties", WidgetTestData.Returning("Warranties"), sortOrder: 3);

        var runs = (await RunAllAsync(tenant, conversation.Id)).ToDictionary(r => r.Widget.Name, r => r.Outcome);

        Assert.Equal(ScriptRunStatus.Error, runs["Wholesale"].Status);
        Assert.Equal(WidgetCardState.Error, runs["Wholesale"].CardState);
        Assert.Equal("KeyError", runs["Wholesale"].Error!.Type);
        Assert.Equal(3, runs["Wholesale"].Error!.Line);
        Assert.Equal(WidgetCardState.Ok, runs["CRM"].CardState);
        Assert.Equal(WidgetCardState.Ok, runs["Warranties"].CardState);
        var stored = await RunsAsync(tenant);
        Assert.Equal(3, stored.Count);
        Assert.Equal("KeyError", stored.Single(r => r.FunctionName == "Wholesale").ErrorType);
    }

    [Fact]
    public async Task RunAsync_SameConversationWidgetAndVersion_ReusesTheCachedOutcome()
    {
        var (tenant, conversation) = await TenantWithConversationAsync();
        var widget = await _app.CreateWidgetAsync(tenant, "CRM", WidgetTestData.Returning("CRM"));

        var first = await RunAsync(tenant, widget, conversation.Id);
        var second = await RunAsync(tenant, widget, conversation.Id);

        Assert.NotNull(first.RunId);
        Assert.Same(first, second);
        Assert.Single(await RunsAsync(tenant));
    }

    [Fact]
    public async Task RunAsync_Refresh_RunsAgainAndCachesTheNewOutcome()
    {
        var (tenant, conversation) = await TenantWithConversationAsync();
        var widget = await _app.CreateWidgetAsync(tenant, "CRM", WidgetTestData.Returning("CRM"));

        var first = await RunAsync(tenant, widget, conversation.Id);
        var refreshed = await RunAsync(tenant, widget, conversation.Id, refresh: true);
        var afterwards = await RunAsync(tenant, widget, conversation.Id);

        Assert.NotEqual(first.RunId, refreshed.RunId);
        Assert.Same(refreshed, afterwards);
        Assert.Equal(2, (await RunsAsync(tenant)).Count);
    }

    [Fact]
    public async Task RunAsync_NewVersionOrOtherConversation_RunsAgain()
    {
        var (tenant, conversation) = await TenantWithConversationAsync();
        var other = await _app.CreateConversationAsync(tenant);
        var widget = await _app.CreateWidgetAsync(tenant, "CRM", WidgetTestData.Returning("CRM"));

        var first = await RunAsync(tenant, widget, conversation.Id);
        var newVersion = await RunAsync(tenant, widget with { Version = 2 }, conversation.Id);
        var otherConversation = await RunAsync(tenant, widget, other.Id);

        Assert.Equal(3, new[] { first.RunId, newVersion.RunId, otherConversation.RunId }.Distinct().Count());
        Assert.Equal(3, (await RunsAsync(tenant)).Count);
    }

    [Fact]
    public async Task RunAsync_CancelledRun_IsRecordedButNotCached()
    {
        var (tenant, conversation) = await TenantWithConversationAsync();
        var widget = await _app.CreateWidgetAsync(tenant, "Slow", WidgetTestData.Returning("Slow", sleepSeconds: 3));

        await using (var scope = _app.ScopeFor(tenant.OrganizationId))
        {
            using var leave = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                scope.Get<SidebarWidgetRunner>().RunAsync(widget, conversation.Id, ct: leave.Token));
        }
        var cancelled = await WaitForRunAsync(tenant);
        var next = await RunAsync(tenant, widget with { Code = WidgetTestData.Returning("Slow") }, conversation.Id);

        Assert.Equal(ScriptRunStatus.Cancelled, cancelled.Status);
        Assert.Equal(WidgetCardState.Ok, next.CardState);
        Assert.NotEqual(cancelled.Id, next.RunId);
    }

    private async Task<ScriptRun> WaitForRunAsync(TestData.Tenant tenant)
    {
        // The cancelled run is recorded by the run itself after the caller has gone; poll for the row, not for time.
        for (var i = 0; i < 200; i++)
        {
            if ((await RunsAsync(tenant)).FirstOrDefault() is { } run) return run;
            await Task.Delay(50);
        }
        throw new TimeoutException("The cancelled run was never recorded.");
    }

    [Fact]
    public async Task RunAllAsync_AnotherOrganizationsWidgets_NeverRun()
    {
        var (mine, conversation) = await TenantWithConversationAsync();
        var (theirs, theirConversation) = await TenantWithConversationAsync();
        await _app.CreateWidgetAsync(mine, "Mine", WidgetTestData.Returning("Mine"));
        await _app.CreateWidgetAsync(theirs, "Theirs", WidgetTestData.Returning("Theirs"));

        var runs = await RunAllAsync(mine, conversation.Id);

        Assert.Equal(["Mine"], runs.Select(r => r.Widget.Name));
        Assert.Empty(await RunsAsync(theirs));
        Assert.Equal(["Mine"], (await RunsAsync(mine)).Select(r => r.FunctionName));

        // Their conversation is not found from my organization: the card says so and nothing of theirs is read.
        var crossed = (await RunAllAsync(mine, theirConversation.Id)).Single().Outcome;
        Assert.Equal(ScriptRunStatus.Invalid, crossed.Status);
        Assert.Equal(WidgetCardState.Error, crossed.CardState);
        Assert.Equal("conversation_not_found", crossed.Error!.Type);
    }

    [Fact]
    public async Task RunAllAsync_SeedExampleWidgetsAgainstTheCustomersApi_ShowItsData()
    {
        await using var api = await FakeCustomerApi.StartAsync();
        var (tenant, conversation) = await TenantWithConversationAsync();
        await _app.CreateWidgetAsync(tenant, "CRM", SeedWidgetScripts.Crm(api.BaseUrl), sortOrder: 1);
        await _app.CreateWidgetAsync(tenant, "Wholesale", SeedWidgetScripts.Wholesale(api.BaseUrl), sortOrder: 2);
        await _app.CreateWidgetAsync(tenant, "Warranties", SeedWidgetScripts.Warranties(api.BaseUrl), sortOrder: 3);
        await _app.CreateWidgetAsync(tenant, "Subscriptions", SeedWidgetScripts.Subscriptions(api.BaseUrl), sortOrder: 4);

        var runs = (await RunAllAsync(tenant, conversation.Id)).ToDictionary(r => r.Widget.Name, r => r.Outcome);

        Assert.All(runs.Values, o => Assert.True(o.CardState == WidgetCardState.Ok && o.Result!.Problems.Count == 0,
            $"{o.Status}: {o.Error?.Message} {string.Join("; ", o.Result?.Problems ?? [])}"));
        Assert.Equal("Jane", runs["CRM"].Result!.Result.Items[0].Title);
        Assert.Equal("Trailhead Outfitters LLC", runs["Wholesale"].Result!.Result.Items[0].Title);
        Assert.Equal(["Summit 2 Tent", "Trail Runner GTX"], runs["Warranties"].Result!.Result.Items.Select(i => i.Title));
        Assert.Equal("8123 / 10000", runs["Subscriptions"].Result!.Result.Items[0].Sections[1].Fields[0].Text);
        Assert.Equal(1, api.Hits("/customers"));
    }

    [Fact]
    public async Task RunAsync_SeedWidgetWithoutCustomerEmail_ShowsNothingAndCallsNoApi()
    {
        await using var api = await FakeCustomerApi.StartAsync();
        var (tenant, _) = await TenantWithConversationAsync();
        var anonymous = await _app.CreateConversationAsync(tenant);
        var crm = await _app.CreateWidgetAsync(tenant, "CRM", SeedWidgetScripts.Crm(api.BaseUrl));

        var outcome = await RunAsync(tenant, crm, anonymous.Id);

        Assert.Equal(WidgetCardState.Empty, outcome.CardState);
        Assert.Equal(0, api.Hits("/customers"));
    }

    [Fact]
    public async Task RunAsync_SeedWidgetOnAnAccountWithoutAField_FailsWithTheScriptsLine()
    {
        await using var api = await FakeCustomerApi.StartAsync(wholesaleWithoutCompany: true);
        var (tenant, conversation) = await TenantWithConversationAsync();
        var wholesale = await _app.CreateWidgetAsync(tenant, "Wholesale", SeedWidgetScripts.Wholesale(api.BaseUrl));

        var outcome = await RunAsync(tenant, wholesale, conversation.Id);

        Assert.Equal(ScriptRunStatus.Error, outcome.Status);
        Assert.Equal(("KeyError", "'companyName'"), (outcome.Error!.Type, outcome.Error.Message));
        Assert.Equal(25, outcome.Error.Line); // "title": account["companyName"],
    }
}
