using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;
using Octocom.Dashboard.Studio;
using Octocom.Dashboard.Studio.Components;
using Octocom.Dashboard.Widgets;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Studio;

/// <summary>The test panel over the real runner, database and python3: every state a test run can end in.</summary>
[Collection(StudioAppCollection.Name)]
public sealed class TestPanelTests(StudioAppFixture fixture) : BunitTestContext
{
    private TestData.Tenant _tenant = default!;
    private AsyncServiceScope _scope;
    private Conversation _conversation = default!;

    public override async Task InitializeAsync()
    {
        _tenant = await fixture.NewTenantAsync();
        _conversation = await fixture.App.CreateConversationAsync(_tenant, subject: "Where is my parcel?",
            customer: new Customer { Email = "emma@example.com", Name = "Emma" },
            metadata: new Dictionary<string, string> { ["plan"] = "basic" });
        _scope = fixture.ScopeFor(_tenant);
        Services.AddSingleton(_scope.Get<ScriptRunner>());
        Services.AddSingleton(_scope.Get<BusinessService>());
        Services.AddSingleton(_scope.Get<StudioConversationSearch>());
        Services.AddSingleton(_scope.Get<WidgetResultChecker>());
        Services.AddSingleton(_scope.Get<IScriptEngine>());
        Services.AddSingleton(_scope.Get<IOptions<WidgetsOptions>>());
    }

    protected override async Task CleanupAsync() => await _scope.DisposeAsync();

    private IRenderedComponent<TestPanel> RenderPanel(string code, FunctionKind kind = FunctionKind.SidebarWidget, double timeoutSeconds = 5,
        Action<StudioRunView>? finished = null, IReadOnlyList<ArgumentDefinition>? arguments = null, string? conversation = null) =>
        Render<TestPanel>(p => p
            .Add(t => t.Kind, kind)
            .Add(t => t.GetCode, () => Task.FromResult(code))
            .Add(t => t.FunctionName, "CRM")
            .Add(t => t.Arguments, arguments ?? [])
            .Add(t => t.InitialConversation, conversation ?? _conversation.PublicId)
            .Add(t => t.Limits, StudioAppFixture.ShortLimits(timeoutSeconds))
            .Add(t => t.OnRunFinished, run => finished?.Invoke(run)));

    private static async Task RunAsync(IRenderedComponent<TestPanel> panel)
    {
        await StartRun(panel);
    }

    /// <summary>Clicks Run without waiting for the run to finish (the click's task completes with the run).</summary>
    private static Task StartRun(IRenderedComponent<TestPanel> panel)
    {
        panel.WaitForAssertion(() => Assert.Contains("Where is my parcel?", panel.Find("input[data-testid=conversation-picker]").GetAttribute("value") ?? ""));
        return panel.Find("[data-testid=test-run]").ClickAsync(new());
    }

    private static void WaitForState(IRenderedComponent<TestPanel> panel, string state) =>
        panel.WaitForAssertion(() => Assert.Equal(state, panel.Find("[data-testid=test-panel]").GetAttribute("data-state")), TimeSpan.FromSeconds(15));

    [Fact]
    public async Task Run_WidgetOk_ShowsTheCardAsAgentsSeeIt_StdoutAndTheContext()
    {
        StudioRunView? finished = null;
        var panel = RenderPanel("""
            def get_sidebar_data(context):
                print("hello from the widget")
                customer = context["customer"]
                return {"title": "CRM", "items": [{"title": customer["name"], "sections": [{"title": "Contact", "fields": {"Email": customer["email"]}}]}]}
            """, finished: run => finished = run);

        await RunAsync(panel);

        WaitForState(panel, "ok");
        var card = panel.Find("[data-testid=run-widget-preview] [data-testid=widget-card]");
        Assert.Equal("ok", card.GetAttribute("data-state"));
        Assert.Contains("Emma", card.TextContent);
        Assert.Contains("emma@example.com", card.TextContent);
        Assert.Contains("hello from the widget", panel.Find("[data-testid=run-stdout]").TextContent);
        Assert.Contains("\"publicId\": \"" + _conversation.PublicId + "\"", panel.Find("[data-testid=run-context]").TextContent);
        Assert.Contains("\"title\": \"CRM\"", panel.Find("[data-testid=run-result-json]").TextContent);
        Assert.Equal(ScriptRunStatus.Ok, finished!.Status);
        var stored = await fixture.App.QueryAsync(_tenant.OrganizationId, db => db.ScriptRuns.SingleAsync(r => r.Id == finished.RunId));
        Assert.Equal(RunTrigger.Test, stored.Trigger);
    }

    [Fact]
    public async Task Run_Exception_ShowsTheErrorWithItsLineAndTheTraceback()
    {
        StudioRunView? finished = null;
        var panel = RenderPanel("def get_sidebar_data(context):\n    x = 1\n    return context['customer']['missing']\n", finished: run => finished = run);

        await RunAsync(panel);

        WaitForState(panel, "error");
        Assert.Contains("KeyError", panel.Find("[data-testid=run-error-message]").TextContent);
        Assert.Equal("3", panel.Find("[data-testid=run-error-line]").GetAttribute("data-line"));
        Assert.Contains("line 3", panel.Find("[data-testid=run-traceback]").TextContent);
        Assert.Equal(3, finished!.Error!.Line); // the editor marks this line
    }

    [Fact]
    public async Task Run_SyntaxError_ReportsLineAndColumn()
    {
        StudioRunView? finished = null;
        var panel = RenderPanel("def get_sidebar_data(context):\n    return {'title': 'x',, }\n", finished: run => finished = run);

        await RunAsync(panel);

        WaitForState(panel, "error");
        Assert.Equal(2, finished!.Error!.Line);
        Assert.NotNull(finished.Error.Column);
        Assert.Contains("Line 2, column", panel.Find("[data-testid=run-error-line]").TextContent);
    }

    [Fact]
    public async Task Run_Timeout_SaysItWasStoppedAndWhere()
    {
        var panel = RenderPanel("import time\n\ndef get_sidebar_data(context):\n    while True:\n        time.sleep(0.05)\n", timeoutSeconds: 1);

        await RunAsync(panel);

        WaitForState(panel, "timeout");
        Assert.Contains("did not finish within 1 s", panel.Find("[data-testid=run-error-message]").TextContent);
        Assert.Equal("timeout", panel.Find("[data-testid=run-widget-preview] [data-testid=widget-error]").GetAttribute("data-status"));
    }

    [Fact]
    public async Task Run_InvalidWidgetResult_ShowsTheProblemsAndTheRawJson()
    {
        var panel = RenderPanel("def get_sidebar_data(context):\n    return {'title': 'CRM', 'items': [{'title': 'A', 'sections': [], 'badge': {'text': 'x', 'color': 'purple'}}]}\n");

        await RunAsync(panel);

        WaitForState(panel, "invalid");
        var card = panel.Find("[data-testid=run-widget-preview] [data-testid=widget-card]");
        Assert.Equal("invalid", card.GetAttribute("data-state"));
        Assert.Contains("purple", card.TextContent);
        Assert.Contains("\"purple\"", panel.Find("[data-testid=run-result-json]").TextContent);
    }

    [Fact]
    public async Task Run_InFlight_ShowsProgress_AndCancelStopsIt()
    {
        var panel = RenderPanel("import time\n\ndef get_sidebar_data(context):\n    time.sleep(20)\n", timeoutSeconds: 30);

        var run = StartRun(panel);

        WaitForState(panel, "running");
        Assert.NotNull(panel.Find("[data-testid=test-progress]"));
        panel.WaitForAssertion(() => Assert.StartsWith("Running…", panel.Find("[data-testid=test-running]").TextContent));
        await panel.Find("[data-testid=test-cancel]").ClickAsync(new());
        await run;
        WaitForState(panel, "cancelled");
        Assert.Empty(panel.FindAll("[data-testid=test-progress]"));
    }

    [Fact]
    public async Task Run_DryRun_ShowsEffectsWithoutApplyingThem_ApplySwitchAppliesThem()
    {
        var panel = RenderPanel("""
            def handle_event(context):
                set_conversation_metadata(context, "crm:status", context["args"]["event_type"])
                add_conversation_tag(context, "Synced")
                return {"ok": True}
            """, FunctionKind.EventHandler);

        await RunAsync(panel);
        WaitForState(panel, "ok");
        Assert.Equal("false", panel.Find("[data-testid=run-effects]").GetAttribute("data-applied"));
        Assert.Contains("Dry run", panel.Find("[data-testid=effects-state]").TextContent);
        Assert.Equal("crm:status", panel.Find("[data-testid=effect-metadata-key]").TextContent);
        Assert.Equal("conversation_closed", panel.Find("[data-testid=effect-metadata-value]").TextContent);
        Assert.False(await HasMetadataAsync("crm:status"));

        await panel.Find("input[data-testid=test-apply-effects]").ChangeAsync(new() { Value = true });
        Assert.NotNull(panel.Find("[data-testid=test-live-warning]"));
        await panel.Find("[data-testid=test-run]").ClickAsync(new());
        panel.WaitForAssertion(() => Assert.Equal("true", panel.Find("[data-testid=run-effects]").GetAttribute("data-applied")), TimeSpan.FromSeconds(15));
        Assert.True(await HasMetadataAsync("crm:status"));
    }

    [Fact]
    public async Task Run_ActionWithArguments_PassesTypedArgs_AndRequiresTheRequiredOnes()
    {
        var panel = RenderPanel("def execute_action(context):\n    return {'args': context['args']}\n", FunctionKind.CustomAction,
            arguments: [new ArgumentDefinition("orderId"), new ArgumentDefinition("count", "integer", Required: false)]);

        await RunAsync(panel);
        panel.WaitForAssertion(() => Assert.Contains("orderId is required", panel.Markup));
        Assert.Equal("idle", panel.Find("[data-testid=test-panel]").GetAttribute("data-state"));

        await panel.Find("input[data-testid=arg-orderId]").InputAsync(new() { Value = "ORD-7" });
        await panel.Find("input[data-testid=arg-count]").InputAsync(new() { Value = "3" });
        await panel.Find("[data-testid=test-run]").ClickAsync(new());

        WaitForState(panel, "ok");
        var json = panel.Find("[data-testid=run-result-json]").TextContent;
        Assert.Contains("\"orderId\": \"ORD-7\"", json);
        Assert.Contains("\"count\": 3", json);
    }

    [Fact]
    public async Task Run_UnknownConversation_ExplainsAndDoesNotRun()
    {
        var panel = RenderPanel("def get_sidebar_data(context):\n    return {'title': 'x', 'items': []}\n", conversation: "ZZZZZZ");
        panel.WaitForAssertion(() => Assert.Equal("ZZZZZZ", panel.Find("input[data-testid=conversation-picker]").GetAttribute("value")));

        await panel.Find("[data-testid=test-run]").ClickAsync(new());

        panel.WaitForAssertion(() => Assert.Contains("no conversation 'ZZZZZZ'", panel.Find("[data-testid=test-problem]").TextContent));
        Assert.Equal(0, await fixture.App.QueryAsync(_tenant.OrganizationId, db => db.ScriptRuns.CountAsync()));
    }

    private Task<bool> HasMetadataAsync(string key) =>
        fixture.App.QueryAsync(_tenant.OrganizationId, db => db.ConversationMetadata.AnyAsync(m => m.ConversationId == _conversation.Id && m.Key == key));
}
