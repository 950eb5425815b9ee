using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Scripting.Engine;
using Octocom.Dashboard.Tests.TestInfrastructure;
using Octocom.Dashboard.Widgets;
using Octocom.Dashboard.Widgets.Components;

namespace Octocom.Dashboard.Tests.Widgets.Components;

/// <summary>The sidebar panel over the real runner, engine and database (bUnit renders it as an interactive circuit would).</summary>
public abstract class SidebarWidgetPanelTestBase : TenantBunitTestContext
{
    protected static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(20);

    protected Conversation OpenConversation { get; private set; } = default!;
    private BunitAuthorizationContext _auth = default!;

    protected override string Actor => "agent@acme.test";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        OpenConversation = await App.CreateConversationAsync(Tenant, customer: new Customer { Email = "jane@example.com", Name = "Jane" });
        Services.AddSingleton(Scope.Get<SidebarWidgetRunner>());
        Services.AddSingleton(Scope.Get<IScriptEngine>());
        Services.AddSingleton(App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WidgetsOptions>>());
        _auth = AddAuthorization();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>Signs in with the policies the user's role grants (the panel checks policies, never roles).</summary>
    protected void SignInWith(params string[] policies)
    {
        _auth.SetAuthorized("someone@acme.test");
        _auth.SetPolicies(policies);
    }

    protected void SignInAsAgent() => SignInWith(Policies.ReadConversations, Policies.WorkConversations);

    protected void SignInAsAdmin() => SignInWith(Policies.ReadConversations, Policies.WorkConversations, Policies.Administer);

    protected IRenderedComponent<SidebarWidgetPanel> RenderPanel() =>
        Render<SidebarWidgetPanel>(p => p.Add(x => x.ConversationId, OpenConversation.Id));

    protected static string State(IRenderedComponent<SidebarWidgetPanel> panel, string widget) =>
        panel.Find($"[data-testid=widget-card][data-widget='{widget}']").GetAttribute("data-state")!;

    protected Task<int> StoredRunsAsync() => App.QueryAsync(Tenant.OrganizationId, db => db.ScriptRuns.CountAsync());
}

public sealed class SidebarWidgetPanelTests : SidebarWidgetPanelTestBase
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Scripting:PoolSize"] = "2" };

    [Fact]
    public async Task Render_ActiveWidgets_OneCardEachInOrderFilledAsRunsFinish()
    {
        SignInAsAgent();
        await App.CreateWidgetAsync(Tenant, "Wholesale", WidgetTestData.Raising, sortOrder: 2);
        await App.CreateWidgetAsync(Tenant, "CRM", WidgetTestData.Returning("CRM"), sortOrder: 1);

        var panel = RenderPanel();

        panel.WaitForAssertion(() =>
        {
            Assert.Equal("ok", State(panel, "CRM"));
            Assert.Equal("error", State(panel, "Wholesale"));
        }, RunTimeout);
        Assert.Equal(["CRM", "Wholesale"], panel.FindAll("[data-testid=widget-card]").Select(c => c.GetAttribute("data-widget")));
        Assert.Contains(OpenConversation.PublicId, panel.Find("[data-widget=CRM] [data-testid=widget-items]").TextContent);
        Assert.Contains("KeyError", panel.Find("[data-widget=Wholesale] [data-testid=widget-error-message]").TextContent);
        Assert.Equal("0", panel.Find("[data-testid=sidebar-widgets]").GetAttribute("data-running"));
    }

    [Fact]
    public async Task Render_SlowWidget_ShowsItsLoadingCardWhileTheFastOneIsDone()
    {
        SignInAsAgent();
        await App.CreateWidgetAsync(Tenant, "Slow", WidgetTestData.Returning("Slow", sleepSeconds: 3), sortOrder: 1);
        await App.CreateWidgetAsync(Tenant, "Fast", WidgetTestData.Returning("Fast"), sortOrder: 2);

        var panel = RenderPanel();

        panel.WaitForAssertion(() => Assert.Equal("ok", State(panel, "Fast")), RunTimeout);
        Assert.Equal("loading", State(panel, "Slow"));
        Assert.NotNull(panel.Find("[data-widget=Slow] [data-testid=widget-loading]"));
        panel.WaitForAssertion(() => Assert.Equal("ok", State(panel, "Slow")), RunTimeout);
    }

    [Fact]
    public async Task Refresh_ClickingACardsButton_RunsThatWidgetAgain()
    {
        SignInAsAgent();
        await App.CreateWidgetAsync(Tenant, "Random", """
            import uuid

            def get_sidebar_data(context):
                return {"title": "Random", "items": [{"title": uuid.uuid4().hex, "sections": []}]}
            """);
        var panel = RenderPanel();
        panel.WaitForAssertion(() => Assert.Equal("ok", State(panel, "Random")), RunTimeout);
        var before = panel.Find("[data-testid=widget-items]").TextContent;

        await panel.Find("[data-testid=widget-refresh]").ClickAsync(new());

        panel.WaitForAssertion(() => Assert.NotEqual(before, panel.Find("[data-testid=widget-items]").TextContent), RunTimeout);
        Assert.Equal(2, await StoredRunsAsync());
    }

    [Fact]
    public void Render_NoActiveWidgets_AdminSeesAHintLinkingToScripts()
    {
        SignInAsAdmin();

        var panel = RenderPanel();

        panel.WaitForAssertion(() => Assert.Equal("/scripts", panel.Find("[data-testid=widgets-none] a").GetAttribute("href")));
        Assert.Empty(panel.FindAll("[data-testid=widget-card]"));
    }

    [Fact]
    public void Render_NoActiveWidgets_AgentSeesNothing()
    {
        SignInAsAgent();

        var panel = RenderPanel();

        panel.WaitForAssertion(() => Assert.Equal("", panel.Markup.Trim()));
    }

    [Fact]
    public async Task Render_ReadOnlyManager_RunsNoWidgets()
    {
        SignInWith(Policies.ReadConversations, Policies.ViewAnalytics);
        await App.CreateWidgetAsync(Tenant, "CRM", WidgetTestData.Returning("CRM"));

        var panel = RenderPanel();

        Assert.Empty(panel.FindAll("[data-testid=widget-card]"));
        Assert.Equal(0, await StoredRunsAsync());
    }

    [Fact]
    public async Task Render_Prerendering_ShowsLoadingCardsAndRunsNothing()
    {
        SignInAsAgent();
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        await App.CreateWidgetAsync(Tenant, "CRM", WidgetTestData.Returning("CRM"));

        var panel = RenderPanel();

        panel.WaitForAssertion(() => Assert.Equal("loading", State(panel, "CRM")));
        Assert.Equal(0, await StoredRunsAsync());
    }

}

public sealed class SidebarWidgetPanelWithoutPythonTests : SidebarWidgetPanelTestBase
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Scripting:PythonPath"] = "/opt/no-python/bin/python3" };

    [Fact]
    public async Task Render_EngineUnavailable_ShowsOneNoticeInsteadOfFailingCards()
    {
        SignInAsAdmin();
        await App.CreateWidgetAsync(Tenant, "CRM", WidgetTestData.Returning("CRM"), sortOrder: 1);
        await App.CreateWidgetAsync(Tenant, "Orders", WidgetTestData.Returning("Orders"), sortOrder: 2);

        var panel = RenderPanel();

        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("[data-testid=widgets-unavailable]")));
        Assert.Contains("apt-get install", panel.Find("[data-testid=widgets-unavailable]").TextContent);
        Assert.Empty(panel.FindAll("[data-testid=widget-card]"));
        Assert.Equal(0, await StoredRunsAsync());
    }

    [Fact]
    public async Task Render_EngineUnavailable_AgentIsToldToAskAnAdministrator()
    {
        SignInAsAgent();
        await App.CreateWidgetAsync(Tenant, "CRM", WidgetTestData.Returning("CRM"));

        var panel = RenderPanel();

        panel.WaitForAssertion(() => Assert.Contains("Ask an administrator", panel.Find("[data-testid=widgets-unavailable]").TextContent));
        Assert.DoesNotContain("apt-get", panel.Markup);
    }
}
