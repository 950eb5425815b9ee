using Octocom.Dashboard.Audit;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Events;

/// <summary>
/// The dispatcher end to end on real SQLite and real python3: closing a conversation runs every active handler
/// independently, records each run, applies effects, and keeps organizations apart. Pool of 4 workers, at most 2
/// handlers at once, so the dispatcher's own bound (not the engine's) is what the concurrency test observes.
/// </summary>
[Collection(EventsCollection.Name)]
public sealed class EventDispatcherTests : IClassFixture<EventDispatcherTests.Fixture>
{
    public sealed class Fixture() : RunningDispatcherFixture(EventsTestKit.Settings(handlerTimeoutSeconds: 20, poolSize: 4, concurrency: Concurrency))
    {
        public const int Concurrency = 2;
    }

    private readonly TestApp _app;
    private readonly WebhookReceiver _receiver;

    public EventDispatcherTests(Fixture fixture)
    {
        _app = fixture.App;
        _receiver = fixture.Receiver;
    }

    private Task<TestData.Tenant> TenantAsync() => _app.NewTenantAsync();

    private const string EchoHandler = """
        def handle_event(context):
            return {"event": context["args"]["event_type"], "publicId": context["conversation"]["publicId"]}
        """;

    [Fact]
    public async Task Close_TwoHandlersForTheEvent_BothRunOnceAndSucceed()
    {
        var tenant = await TenantAsync();
        var first = await _app.AddHandlerAsync(tenant, "CRM sync", EchoHandler);
        var second = await _app.AddHandlerAsync(tenant, "Survey", EchoHandler);
        var conversation = await _app.CreateConversationAsync(tenant);

        await _app.CloseAsync(tenant, conversation.Id);
        var jobs = await _app.WaitForJobsToEndAsync(tenant, conversation.Id, expected: 2);

        Assert.Equal([first.Id, second.Id], jobs.Select(j => j.FunctionId).Order());
        foreach (var job in jobs)
        {
            Assert.Equal((EventJobStatus.Succeeded, 1, null), (job.Status, job.Attempts, job.LastError));
            Assert.NotNull(job.CompletedAt);
            var run = Assert.Single(await _app.RunsAsync(tenant, job.Id));
            Assert.Equal((ScriptRunStatus.Ok, RunTrigger.Event, FunctionKind.EventHandler, 1, job.FunctionId),
                (run.Status, run.Trigger, run.Kind, run.Attempt, run.FunctionId));
            Assert.Equal(conversation.Id, run.ConversationId);
            Assert.Equal(EventJobRunner.Actor, run.TriggeredBy);
            var result = JsonNode.Parse(run.ResultJson!)!;
            Assert.Equal((EventTypes.ConversationClosed, conversation.PublicId), ((string?)result["event"], (string?)result["publicId"]));
        }
    }

    [Fact]
    public async Task HandOff_RunsTheHandoffHandlerWithItsEventType()
    {
        var tenant = await TenantAsync();
        await _app.AddHandlerAsync(tenant, "On close", EchoHandler);
        await _app.AddHandlerAsync(tenant, "On handoff", EchoHandler, EventTypes.ConversationHandedOff);
        var conversation = await _app.CreateConversationAsync(tenant);

        await using (var scope = _app.ScopeFor(tenant.OrganizationId))
            await scope.Get<ConversationLifecycle>().HandOffAsync(conversation.Id, "bot");
        var job = Assert.Single(await _app.WaitForJobsToEndAsync(tenant, conversation.Id, expected: 1));

        var run = Assert.Single(await _app.RunsAsync(tenant, job.Id));
        Assert.Equal("On handoff", run.FunctionName);
        Assert.Equal(EventTypes.ConversationHandedOff, (string?)JsonNode.Parse(run.ResultJson!)!["event"]);
    }

    [Fact]
    public async Task Close_FailingHandler_IsLoggedNotRetried_AndDoesNotBlockTheOther()
    {
        var tenant = await TenantAsync();
        var failing = await _app.AddHandlerAsync(tenant, "Broken", """
            def handle_event(context):
                print("about to fail")
                customer = context["customer"]
                return customer["email"]
            """);
        await _app.AddHandlerAsync(tenant, "Working", EchoHandler);
        var conversation = await _app.CreateConversationAsync(tenant);

        await _app.CloseAsync(tenant, conversation.Id);
        var jobs = await _app.WaitForJobsToEndAsync(tenant, conversation.Id, expected: 2);

        var broken = jobs.Single(j => j.FunctionId == failing.Id);
        Assert.Equal((EventJobStatus.Failed, 1), (broken.Status, broken.Attempts));
        Assert.Contains("TypeError", broken.LastError);
        Assert.Contains("(line 4)", broken.LastError);
        var run = Assert.Single(await _app.RunsAsync(tenant, broken.Id));
        Assert.Equal(ScriptRunStatus.Error, run.Status);
        Assert.Equal("about to fail\n", run.Stdout);
        Assert.Contains("Broken.py", run.Traceback);
        Assert.Equal(EventJobStatus.Succeeded, jobs.Single(j => j.FunctionId != failing.Id).Status);
    }

    [Fact]
    public async Task SlowHandler_DoesNotHoldUpAFastOne()
    {
        var tenant = await TenantAsync();
        var gate = $"slow-{Guid.NewGuid():N}";
        var slow = await _app.AddHandlerAsync(tenant, "Slow", $$"""
            import time, requests
            def handle_event(context):
                while requests.get("{{_receiver.GateUrl(gate)}}", timeout=5).text != "open":
                    time.sleep(0.05)
                return {"waited": True}
            """);
        await _app.AddHandlerAsync(tenant, "Fast", EchoHandler);
        var conversation = await _app.CreateConversationAsync(tenant);

        await _app.CloseAsync(tenant, conversation.Id);
        await EventsTestKit.WaitUntilAsync(() => _receiver.IsWaitingAt(gate), "the slow handler to wait at its gate");
        var jobs = await EventsTestKit.WaitForAsync(() => _app.JobsAsync(tenant, conversation.Id),
            js => js.Any(j => j.FunctionId != slow.Id && j.Status == EventJobStatus.Succeeded), what: "the fast handler to finish");

        Assert.Equal(EventJobStatus.Running, jobs.Single(j => j.FunctionId == slow.Id).Status);
        _receiver.Open(gate);
        jobs = await _app.WaitForJobsToEndAsync(tenant, conversation.Id, expected: 2);
        Assert.All(jobs, j => Assert.Equal(EventJobStatus.Succeeded, j.Status));
    }

    [Fact]
    public async Task ManyJobs_NeverRunMoreThanTheConcurrencyBoundAtOnce()
    {
        var tenant = await TenantAsync();
        await _app.AddHandlerAsync(tenant, "Timed", """
            import time
            def handle_event(context):
                start = time.time()
                time.sleep(0.8)
                return {"start": start, "end": time.time()}
            """);
        var conversations = new List<Conversation>();
        for (var i = 0; i < 8; i++) conversations.Add(await _app.CreateConversationAsync(tenant));

        foreach (var conversation in conversations) await _app.CloseAsync(tenant, conversation.Id);
        var runs = await EventsTestKit.WaitForAsync(
            () => _app.QueryAsync(tenant.OrganizationId, db => db.ScriptRuns.AsNoTracking().Where(r => r.Trigger == RunTrigger.Event).ToListAsync()),
            rs => rs.Count == 8, what: "8 runs");

        Assert.All(runs, r => Assert.Equal(ScriptRunStatus.Ok, r.Status));
        var intervals = runs.Select(r => JsonNode.Parse(r.ResultJson!)!).Select(n => ((double)n["start"]!, (double)n["end"]!)).ToList();
        var peak = PeakOverlap(intervals);
        Assert.True(peak <= Fixture.Concurrency, $"{peak} handlers ran at once; the bound is {Fixture.Concurrency} (the pool has 4 workers)");
        Assert.Equal(Fixture.Concurrency, peak); // and the bound is used: jobs do run in parallel
    }

    /// <summary>The most intervals open at one instant (an end at the same instant as a start does not overlap).</summary>
    private static int PeakOverlap(IEnumerable<(double Start, double End)> intervals)
    {
        var points = intervals.SelectMany(i => new[] { (At: i.Start, Delta: 1), (At: i.End, Delta: -1) })
            .OrderBy(p => p.At).ThenBy(p => p.Delta);
        int open = 0, peak = 0;
        foreach (var (_, delta) in points) peak = Math.Max(peak, open += delta);
        return peak;
    }

    [Fact]
    public async Task Effects_MetadataTagsAndEvents_AreAppliedAndTheEventShowsOnTheTimeline()
    {
        var tenant = await TenantAsync();
        await _app.AddHandlerAsync(tenant, "CRM sync", """
            def handle_event(context):
                set_conversation_metadata(context, "crm:synced", True)
                add_conversation_tag(context, "Synced")
                add_conversation_event(context, {"type": "crm_synced", "description": "Synced to the CRM", "data": {"account": 42}})
                return {"status": "synced"}
            """);
        var conversation = await _app.CreateConversationAsync(tenant);

        await _app.CloseAsync(tenant, conversation.Id);
        var job = Assert.Single(await _app.WaitForJobsToEndAsync(tenant, conversation.Id, expected: 1));
        Assert.Equal(EventJobStatus.Succeeded, job.Status);

        await using var scope = _app.ScopeFor(tenant.OrganizationId);
        var details = (await scope.Get<ConversationReader>().GetDetailsAsync(conversation.PublicId))!;
        Assert.Equal("true", details.Metadata.Single(m => m.Key == "crm:synced").Value);
        Assert.Contains(details.Tags, t => t.Name == "synced");
        var timeline = details.Events.Single(e => e.Type == "crm_synced");
        Assert.Equal(("Synced to the CRM", "script:CRM sync"), (timeline.Description, timeline.Source));
        Assert.Contains("42", timeline.DataJson);
        Assert.True(Assert.Single(await _app.RunsAsync(tenant, job.Id)).EffectsApplied);
    }

    [Fact]
    public async Task TwoOrganizations_EachConversationRunsOnlyItsOwnOrganizationsHandler()
    {
        var acme = await TenantAsync();
        var globex = await TenantAsync();
        await _app.AddHandlerAsync(acme, "Acme handler", EchoHandler);
        await _app.AddHandlerAsync(globex, "Globex handler", EchoHandler);
        var acmeConversation = await _app.CreateConversationAsync(acme);
        var globexConversation = await _app.CreateConversationAsync(globex);

        await _app.CloseAsync(acme, acmeConversation.Id);
        await _app.CloseAsync(globex, globexConversation.Id);
        var acmeJob = Assert.Single(await _app.WaitForJobsToEndAsync(acme, acmeConversation.Id, expected: 1));
        var globexJob = Assert.Single(await _app.WaitForJobsToEndAsync(globex, globexConversation.Id, expected: 1));

        var acmeRun = Assert.Single(await _app.RunsAsync(acme, acmeJob.Id));
        Assert.Equal(("Acme handler", acme.OrganizationId), (acmeRun.FunctionName, acmeRun.OrganizationId));
        Assert.Equal(globex.OrganizationId, Assert.Single(await _app.RunsAsync(globex, globexJob.Id)).OrganizationId);
        Assert.Empty(await _app.RunsAsync(globex, acmeJob.Id)); // not visible across organizations
    }

    [Fact]
    public async Task JobPointingAtAnotherOrganizationsHandler_FailsWithoutRunningIt()
    {
        var acme = await TenantAsync();
        var globex = await TenantAsync();
        var foreign = await _app.AddHandlerAsync(globex, "Globex secret handler", EchoHandler);
        var conversation = await _app.CreateConversationAsync(acme);

        await using (var scope = _app.ScopeFor(acme.OrganizationId))
        await using (var db = scope.Db())
        {
            db.EventJobs.Add(new EventJob { FunctionId = foreign.Id, ConversationId = conversation.Id, EventType = EventTypes.ConversationClosed });
            await db.SaveChangesAsync();
        }
        var job = Assert.Single(await _app.WaitForJobsToEndAsync(acme, conversation.Id, expected: 1));

        Assert.Equal(EventJobStatus.Failed, job.Status);
        Assert.Contains("no longer exists", job.LastError);
        Assert.Empty(await _app.QueryAsync(globex.OrganizationId, db => db.ScriptRuns.Where(r => r.FunctionId == foreign.Id).ToListAsync()));
        Assert.Empty(await _app.RunsAsync(acme, job.Id));
    }

    [Fact]
    public async Task HandlerDeactivatedAfterTheEvent_DoesNotRun()
    {
        var tenant = await TenantAsync();
        await _app.StopDispatcherAsync();
        try
        {
            var handler = await _app.AddHandlerAsync(tenant, "Switched off", EchoHandler);
            var conversation = await _app.CreateConversationAsync(tenant);
            await _app.CloseAsync(tenant, conversation.Id);
            await using (var scope = _app.ScopeFor(tenant.OrganizationId))
            await using (var db = scope.Db())
                await db.PythonFunctions.Where(f => f.Id == handler.Id).ExecuteUpdateAsync(s => s.SetProperty(f => f.IsActive, false));

            await _app.StartDispatcherAsync();
            var job = Assert.Single(await _app.WaitForJobsToEndAsync(tenant, conversation.Id, expected: 1));

            Assert.Equal(EventJobStatus.Failed, job.Status);
            Assert.Contains("deactivated", job.LastError);
            Assert.Empty(await _app.RunsAsync(tenant, job.Id));
        }
        finally
        {
            if (_app.Dispatcher().ExecuteTask is null or { IsCompleted: true }) await _app.StartDispatcherAsync();
        }
    }

    [Fact]
    public async Task Rerun_FailedJobAfterTheHandlerWasFixed_RunsTheCurrentCodeAsTheNextAttempt()
    {
        var tenant = await TenantAsync();
        var handler = await _app.AddHandlerAsync(tenant, "Fixable", "def handle_event(context):\n    raise RuntimeError('CRM down')\n");
        var conversation = await _app.CreateConversationAsync(tenant);
        await _app.CloseAsync(tenant, conversation.Id);
        var failed = Assert.Single(await _app.WaitForJobsToEndAsync(tenant, conversation.Id, expected: 1));
        Assert.Equal(EventJobStatus.Failed, failed.Status);

        await using (var scope = _app.ScopeFor(tenant.OrganizationId, "admin@acme.test"))
        {
            await using (var db = scope.Db())
                await db.PythonFunctions.Where(f => f.Id == handler.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(f => f.Code, EchoHandler).SetProperty(f => f.Version, 2));
            Assert.Equal(RerunResult.Queued, await scope.Get<RunLogService>().RerunAsync(failed.Id));
        }
        var job = await EventsTestKit.WaitForAsync(() => _app.JobAsync(tenant, failed.Id), j => j.Status == EventJobStatus.Succeeded, what: "the re-run");

        Assert.Equal(2, job.Attempts);
        var runs = await _app.RunsAsync(tenant, job.Id);
        Assert.Equal([(1, ScriptRunStatus.Error, 1), (2, ScriptRunStatus.Ok, 2)], runs.Select(r => (r.Attempt, r.Status, r.FunctionVersion ?? 0)));
        var audit = await _app.QueryAsync(tenant.OrganizationId, db => db.AuditEntries.SingleAsync(a => a.EntityId == job.Id.ToString()));
        Assert.Equal((AuditActions.Rerun, "admin@acme.test"), (audit.Action, audit.UserName));
    }

    [Fact]
    public async Task DemoSummaryHandler_RunTwiceForOneClose_ChangesTheConversationOnlyOnce()
    {
        var tenant = await TenantAsync();
        var handler = await _app.AddHandlerAsync(tenant, EventHandlersDemoData.SummaryName, EventHandlersDemoData.SummaryCode);
        var conversation = await _app.CreateConversationAsync(tenant, messages:
            [(MessageSender.Customer, "Hi"), (MessageSender.Bot, "Hello!"), (MessageSender.Agent, "Sorted."), (MessageSender.Customer, "Thanks")]);

        await _app.CloseAsync(tenant, conversation.Id);
        await _app.WaitForJobsToEndAsync(tenant, conversation.Id, expected: 1);
        // A duplicate delivery of the same event, as after a crash mid-run.
        await using (var scope = _app.ScopeFor(tenant.OrganizationId))
        await using (var db = scope.Db())
        {
            db.EventJobs.Add(new EventJob { FunctionId = handler.Id, ConversationId = conversation.Id, EventType = EventTypes.ConversationClosed });
            await db.SaveChangesAsync();
        }
        var jobs = await _app.WaitForJobsToEndAsync(tenant, conversation.Id, expected: 2);

        Assert.All(jobs, j => Assert.Equal(EventJobStatus.Succeeded, j.Status));
        var second = Assert.Single(await _app.RunsAsync(tenant, jobs[1].Id));
        Assert.Equal("already summarised", (string?)JsonNode.Parse(second.ResultJson!)!["status"]);
        await using var read = _app.ScopeFor(tenant.OrganizationId);
        var details = (await read.Get<ConversationReader>().GetDetailsAsync(conversation.PublicId))!;
        var summary = Assert.Single(details.Events, e => e.Type == "resolution_summary");
        Assert.StartsWith("Closed after 4 messages: 2 from the customer, 1 from agents, 1 from the bot", summary.Description);
        Assert.Single(details.Tags, t => t.Name == "resolved");
        Assert.Equal("4", details.Metadata.Single(m => m.Key == "summary:message_count").Value);
    }
}
