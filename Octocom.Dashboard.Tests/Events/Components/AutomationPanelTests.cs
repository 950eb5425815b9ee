using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Events.Components;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Events.Components;

/// <summary>The conversation page's Automation panel over real services: which handlers ran, live, with run links for admins only.</summary>
public sealed class AutomationPanelTests : TenantBunitTestContext
{
    private Conversation _conversation = default!;
    private PythonFunction _handler = default!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _handler = await App.AddHandlerAsync(Tenant, "CRM sync", "def handle_event(context):\n    return {}\n");
        _conversation = await App.CreateConversationAsync(Tenant);
        Services.AddSingleton(Scope.Get<RunLogService>());
        Services.AddSingleton(App.Services.GetRequiredService<ConversationNotifier>());
    }

    private async Task<(EventJob Job, ScriptRun? Run)> JobAsync(EventJobStatus status, string? error = null, bool withRun = true)
    {
        await using var db = Scope.Db();
        var job = new EventJob
        {
            FunctionId = _handler.Id, ConversationId = _conversation.Id, EventType = EventTypes.ConversationClosed, Status = status,
            Attempts = withRun ? 1 : 0, LastError = error,
        };
        db.EventJobs.Add(job);
        await db.SaveChangesAsync();
        if (!withRun) return (job, null);
        var run = new ScriptRun
        {
            FunctionId = _handler.Id, FunctionName = _handler.Name, Kind = FunctionKind.EventHandler, Trigger = RunTrigger.Event,
            ConversationId = _conversation.Id, EventJobId = job.Id,
            Status = status == EventJobStatus.Failed ? ScriptRunStatus.Error : ScriptRunStatus.Ok,
        };
        db.ScriptRuns.Add(run);
        await db.SaveChangesAsync();
        return (job, run);
    }

    private IRenderedComponent<AutomationPanel> RenderPanel(bool admin)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized(admin ? "admin@acme.test" : "agent@acme.test");
        if (admin) auth.SetPolicies(Policies.Administer);
        var cut = Render<AutomationPanel>(p => p.Add(x => x.ConversationId, _conversation.Id));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-progress-linear")), TimeSpan.FromSeconds(10));
        return cut;
    }

    [Fact]
    public void Render_NoJobs_SaysNoHandlerRan()
    {
        var cut = RenderPanel(admin: true);
        Assert.Contains("No event handlers have run", cut.Find("[data-testid=automation-panel]").TextContent);
    }

    [Fact]
    public async Task Render_AsAdmin_ListsJobsWithStatusErrorAndALinkToTheLatestRun()
    {
        var (failed, run) = await JobAsync(EventJobStatus.Failed, "ValueError: CRM down (line 3)");

        var cut = RenderPanel(admin: true);

        var row = cut.Find("[data-testid=automation-job]");
        Assert.Equal(("CRM sync", "failed"), (row.GetAttribute("data-handler"), row.GetAttribute("data-status")));
        Assert.Contains("on close", row.TextContent);
        Assert.Contains("ValueError: CRM down (line 3)", row.TextContent);
        Assert.Equal($"/runs/{run!.Id}", cut.Find("[data-testid=automation-run-link]").GetAttribute("href"));
    }

    [Fact]
    public async Task Render_AsAgent_ShowsStatusButNoRunLink()
    {
        await JobAsync(EventJobStatus.Succeeded);

        var cut = RenderPanel(admin: false);

        Assert.Equal("succeeded", cut.Find("[data-testid=automation-job]").GetAttribute("data-status"));
        Assert.Empty(cut.FindAll("[data-testid=automation-run-link]"));
    }

    [Fact]
    public async Task JobFinishing_UpdatesThePanelLive()
    {
        var (job, _) = await JobAsync(EventJobStatus.Running, withRun: false);
        var cut = RenderPanel(admin: true);
        Assert.Equal("running", cut.Find("[data-testid=automation-job]").GetAttribute("data-status"));

        await using (var db = Scope.Db())
            await db.EventJobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, EventJobStatus.Succeeded));
        App.Services.GetRequiredService<ConversationNotifier>().Publish(_conversation.OrganizationId, _conversation.Id, ConversationChangeKind.ScriptRun);

        cut.WaitForAssertion(() => Assert.Equal("succeeded", cut.Find("[data-testid=automation-job]").GetAttribute("data-status")), TimeSpan.FromSeconds(10));
    }
}
