using Octocom.Dashboard.Audit;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Events;

/// <summary>The run log's queries and the re-run command, over rows written directly (no engine needed).</summary>
public sealed class RunLogServiceTests : TwoTenantTest
{
    private PythonFunction _handler = default!;
    private PythonFunction _widget = default!;
    private Octocom.Dashboard.Conversations.Conversation _conversation = default!;

    protected override async Task SeedAsync()
    {
        _handler = await App.AddHandlerAsync(Acme, "CRM sync", "def handle_event(context):\n    return {}\n");
        await using (var scope = App.ScopeFor(Acme.OrganizationId))
        await using (var db = scope.Db())
        {
            _widget = new PythonFunction { Name = "Orders", Kind = FunctionKind.SidebarWidget, Code = "def get_sidebar_data(context):\n    return {}\n" };
            db.PythonFunctions.Add(_widget);
            await db.SaveChangesAsync();
        }
        _conversation = await App.CreateConversationAsync(Acme, publicId: "RUNLOG");
    }

    private async Task<EventJob> JobAsync(EventJobStatus status, TestData.Tenant? tenant = null, int? functionId = null, Guid? conversationId = null)
    {
        await using var scope = App.ScopeFor((tenant ?? Acme).OrganizationId);
        await using var db = scope.Db();
        var job = new EventJob
        {
            FunctionId = functionId ?? _handler.Id, ConversationId = conversationId ?? _conversation.Id, EventType = EventTypes.ConversationClosed,
            Status = status, Attempts = 1, LastError = status == EventJobStatus.Failed ? "ValueError: boom" : null,
            CompletedAt = status is EventJobStatus.Failed or EventJobStatus.Succeeded ? DateTime.UtcNow : null,
        };
        db.EventJobs.Add(job);
        await db.SaveChangesAsync();
        return job;
    }

    private async Task<ScriptRun> RunAsync(PythonFunction function, ScriptRunStatus status, RunTrigger trigger, long? jobId = null,
        Guid? conversationId = null, DateTime? at = null, int attempt = 1, TestData.Tenant? tenant = null)
    {
        await using var scope = App.ScopeFor((tenant ?? Acme).OrganizationId);
        await using var db = scope.Db();
        var run = new ScriptRun
        {
            FunctionId = function.Id, FunctionName = function.Name, Kind = function.Kind, Trigger = trigger, Status = status,
            ConversationId = conversationId ?? _conversation.Id, EventJobId = jobId, Attempt = attempt, StartedAt = at ?? DateTime.UtcNow,
            ErrorType = status == ScriptRunStatus.Ok ? null : "ValueError", ErrorMessage = status == ScriptRunStatus.Ok ? null : "boom",
            ContextJson = "{\"args\": {\"event_type\": \"conversation_closed\"}}",
        };
        db.ScriptRuns.Add(run);
        await db.SaveChangesAsync();
        return run;
    }

    private async Task<RunPage> SearchAsync(RunFilter filter, int page = 0, int pageSize = 50)
    {
        await using var scope = App.ScopeFor(Acme.OrganizationId);
        return await scope.Get<RunLogService>().SearchAsync(filter, page, pageSize);
    }

    [Fact]
    public async Task Search_FiltersByFunctionKindStatusTriggerAndConversation()
    {
        var other = await App.CreateConversationAsync(Acme, publicId: "OTHER1");
        var job = await JobAsync(EventJobStatus.Failed);
        var failedHandler = await RunAsync(_handler, ScriptRunStatus.Error, RunTrigger.Event, job.Id);
        var okHandler = await RunAsync(_handler, ScriptRunStatus.Ok, RunTrigger.Test, conversationId: other.Id);
        var widget = await RunAsync(_widget, ScriptRunStatus.Timeout, RunTrigger.Sidebar);

        Assert.Equal([widget.Id, okHandler.Id, failedHandler.Id], (await SearchAsync(new RunFilter())).Rows.Select(r => r.Id));
        Assert.Equal([okHandler.Id, failedHandler.Id], (await SearchAsync(new RunFilter(FunctionId: _handler.Id))).Rows.Select(r => r.Id));
        Assert.Equal([widget.Id], (await SearchAsync(new RunFilter(Kind: FunctionKind.SidebarWidget))).Rows.Select(r => r.Id));
        Assert.Equal([failedHandler.Id], (await SearchAsync(new RunFilter(Status: ScriptRunStatus.Error))).Rows.Select(r => r.Id));
        Assert.Equal([okHandler.Id], (await SearchAsync(new RunFilter(Trigger: RunTrigger.Test))).Rows.Select(r => r.Id));
        Assert.Equal([okHandler.Id], (await SearchAsync(new RunFilter(Conversation: "#other1"))).Rows.Select(r => r.Id));
        Assert.Equal([failedHandler.Id], (await SearchAsync(new RunFilter(EventJobId: job.Id))).Rows.Select(r => r.Id));
        var row = (await SearchAsync(new RunFilter(Status: ScriptRunStatus.Error))).Rows.Single();
        Assert.Equal(("RUNLOG", job.Id, "boom"), (row.ConversationPublicId, row.EventJobId, row.ErrorMessage));
    }

    [Fact]
    public async Task Search_UnknownConversation_SaysSoAndMatchesNothing()
    {
        await RunAsync(_handler, ScriptRunStatus.Ok, RunTrigger.Event);
        var page = await SearchAsync(new RunFilter(Conversation: "NOPE42"));
        Assert.Empty(page.Rows);
        Assert.Contains("NOPE42", page.Problem);
    }

    [Fact]
    public async Task Search_Pages_NewestFirst()
    {
        var start = DateTime.UtcNow.AddHours(-1);
        var ids = new List<long>();
        for (var i = 0; i < 5; i++) ids.Add((await RunAsync(_widget, ScriptRunStatus.Ok, RunTrigger.Sidebar, at: start.AddMinutes(i))).Id);

        var second = await SearchAsync(new RunFilter(), page: 1, pageSize: 2);

        Assert.Equal(5, second.Total);
        Assert.Equal([ids[2], ids[1]], second.Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task Search_AndGet_NeverShowAnotherOrganizationsRuns()
    {
        var other = Globex;
        var theirHandler = await App.AddHandlerAsync(other, "Theirs", "def handle_event(context):\n    return {}\n");
        var theirConversation = await App.CreateConversationAsync(other, publicId: "THEIRS");
        var theirs = await RunAsync(theirHandler, ScriptRunStatus.Ok, RunTrigger.Event, conversationId: theirConversation.Id, tenant: other);

        Assert.Empty((await SearchAsync(new RunFilter())).Rows);
        Assert.Contains("THEIRS", (await SearchAsync(new RunFilter(Conversation: "THEIRS"))).Problem);
        await using var scope = App.ScopeFor(Acme.OrganizationId);
        Assert.Null(await scope.Get<RunLogService>().GetAsync(theirs.Id));
    }

    [Fact]
    public async Task Get_HandlerRun_ShowsItsJobAndEveryAttempt()
    {
        var job = await JobAsync(EventJobStatus.Failed);
        var first = await RunAsync(_handler, ScriptRunStatus.Timeout, RunTrigger.Event, job.Id, attempt: 1);
        var second = await RunAsync(_handler, ScriptRunStatus.Error, RunTrigger.Event, job.Id, attempt: 2);

        await using var scope = App.ScopeFor(Acme.OrganizationId);
        var details = (await scope.Get<RunLogService>().GetAsync(second.Id))!;

        Assert.Equal("RUNLOG", details.ConversationPublicId);
        Assert.Equal((job.Id, "CRM sync", EventJobStatus.Failed, true), (details.Job!.Id, details.Job.HandlerName, details.Job.Status, details.Job.CanRerun));
        Assert.Equal([first.Id, second.Id], details.JobRuns.Select(r => r.Id));
        Assert.Equal(second.Id, details.Job.LatestRunId);
    }

    [Fact]
    public async Task JobsForConversation_ListsTheConversationsJobsWithTheirLatestRun()
    {
        var failed = await JobAsync(EventJobStatus.Failed);
        var run = await RunAsync(_handler, ScriptRunStatus.Error, RunTrigger.Event, failed.Id);
        var pending = await JobAsync(EventJobStatus.Pending);
        var elsewhere = await App.CreateConversationAsync(Acme);
        await JobAsync(EventJobStatus.Succeeded, conversationId: elsewhere.Id);

        await using var scope = App.ScopeFor(Acme.OrganizationId);
        var jobs = await scope.Get<RunLogService>().JobsForConversationAsync(_conversation.Id);

        Assert.Equal([pending.Id, failed.Id], jobs.Select(j => j.Id));
        Assert.Equal((run.Id, ScriptRunStatus.Error), (jobs[1].LatestRunId, jobs[1].LatestRunStatus));
        Assert.Null(jobs[0].LatestRunId);
    }

    [Fact]
    public async Task Rerun_OnlyFailedJobsOfActiveHandlersInTheOrganization()
    {
        var failed = await JobAsync(EventJobStatus.Failed);
        var succeeded = await JobAsync(EventJobStatus.Succeeded);
        var other = Globex;
        var theirHandler = await App.AddHandlerAsync(other, "Theirs", "def handle_event(context):\n    return {}\n");
        var theirConversation = await App.CreateConversationAsync(other);
        var theirs = await JobAsync(EventJobStatus.Failed, other, theirHandler.Id, theirConversation.Id);
        await using var scope = App.ScopeFor(Acme.OrganizationId, "admin@acme.test");
        var service = scope.Get<RunLogService>();

        Assert.Equal(RerunResult.NotFailed, await service.RerunAsync(succeeded.Id));
        Assert.Equal(RerunResult.NotFound, await service.RerunAsync(theirs.Id));
        Assert.Equal(RerunResult.Queued, await service.RerunAsync(failed.Id));
        Assert.Equal(RerunResult.NotFailed, await service.RerunAsync(failed.Id)); // already queued

        var requeued = await App.JobAsync(Acme, failed.Id);
        Assert.Equal((EventJobStatus.Pending, 1, null, null), (requeued.Status, requeued.Attempts, requeued.LastError, requeued.CompletedAt));
        Assert.Equal(EventJobStatus.Failed, (await App.JobAsync(other, theirs.Id)).Status);
        var audit = await App.QueryAsync(Acme.OrganizationId, db => db.AuditEntries.SingleAsync());
        Assert.Equal((AuditActions.Rerun, AuditEntityTypes.EventJob, "admin@acme.test"), (audit.Action, audit.EntityType, audit.UserName));
        Assert.Contains("RUNLOG", audit.Summary);
    }

    [Fact]
    public async Task Rerun_InactiveHandler_IsRefused()
    {
        var failed = await JobAsync(EventJobStatus.Failed);
        await using var scope = App.ScopeFor(Acme.OrganizationId);
        await using (var db = scope.Db())
            await db.PythonFunctions.Where(f => f.Id == _handler.Id).ExecuteUpdateAsync(s => s.SetProperty(f => f.IsActive, false));

        Assert.Equal(RerunResult.HandlerInactive, await scope.Get<RunLogService>().RerunAsync(failed.Id));
        Assert.Equal(EventJobStatus.Failed, (await App.JobAsync(Acme, failed.Id)).Status);
    }

    [Fact]
    public void Query_FromTheUrl_ParsesKnownValuesAndIgnoresTheRest()
    {
        var filter = new RunLogQuery(3, "handler", "ERROR", "event", " A1B2C3 ", 9).ToFilter();
        Assert.Equal(new RunFilter(3, FunctionKind.EventHandler, ScriptRunStatus.Error, RunTrigger.Event, "A1B2C3", 9), filter);
        Assert.Equal(new RunFilter(), new RunLogQuery(null, "gadget", "exploded", "42", "", null).ToFilter());
        Assert.Null(new RunLogQuery(null, null, null, null, null, null, Page: 1).ToQueryParameters()["page"]);
    }
}
