using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Events.E2E;

/// <summary>
/// Real Kestrel + Debian Chromium + real python3: an admin closes a conversation in the browser; the dispatcher runs the
/// organization's handlers; one of them POSTs to a fake webhook receiver on 127.0.0.1; the conversation page shows the
/// runs live (Automation panel, timeline), and the run appears in the run log with its result and context.
/// </summary>
[Collection(EventsCollection.Name)]
public sealed class EventsE2ETests : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private readonly BrowserFixture _browser;
    private WebhookReceiver _receiver = default!;
    private DashboardServer _server = default!;

    public EventsE2ETests(BrowserFixture browser) => _browser = browser;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _server = new DashboardServer(new Dictionary<string, string?> { ["Scripting:PoolSize"] = "2" }, demoConversations: 20);
    }

    public async Task DisposeAsync()
    {
        _server.Dispose();
        await _receiver.DisposeAsync();
    }

    /// <summary>For expectations that wait on the dispatcher and the engine (a loaded 2-core machine), not on the page.</summary>
    private static readonly LocatorAssertionsToHaveAttributeOptions DispatcherWait = new() { Timeout = 60_000 };

    private string WebhookHandler => $$"""
        import requests
        def handle_event(context):
            conversation = context["conversation"]
            response = requests.post("{{_receiver.HookUrl("crm")}}", json={
                "event": context["args"]["event_type"],
                "conversationId": conversation["publicId"],
                "subject": conversation["subject"],
                "messageCount": len(conversation["messages"]),
            }, timeout=10)
            print("webhook answered", response.status_code)
            return {"status": "notified", "http": response.status_code}
        """;

    [Fact]
    public async Task Admin_ClosesConversation_HandlerPostsToTheWebhook_AndTheRunIsInTheLog()
    {
        var handlerId = await _server.AddHandlerAsync("CRM webhook", EventTypes.ConversationClosed, WebhookHandler);
        var conversation = await _server.QueryAsync(db => db.Conversations.Include(c => c.Messages)
            .Where(c => c.Status == ConversationStatus.Open).OrderBy(c => c.PublicId).FirstAsync());

        var page = await _browser.NewPageAsync();
        await page.LoginAsync(_server.BaseUrl, "admin@demo.octocom.local", $"/conversations/{conversation.PublicId}");
        await Assertions.Expect(page.Locator("[data-testid=automation-panel]")).ToContainTextAsync("No event handlers have run");
        await page.ClickAsync("[data-testid=close-button]");
        await Assertions.Expect(page.Locator("[data-testid=status-chip]")).ToHaveTextAsync("Closed");

        // The handler reached the fake webhook with the seed's payload fields.
        await EventsTestKit.WaitUntilAsync(() => _receiver.Requests.Any(r => r.Name == "crm"), "the webhook POST");
        var body = JsonNode.Parse(Assert.Single(_receiver.Requests, r => r.Name == "crm").Body)!;
        Assert.Equal(EventTypes.ConversationClosed, (string?)body["event"]);
        Assert.Equal(conversation.PublicId, (string?)body["conversationId"]);
        Assert.Equal(conversation.Messages.Count, (int?)body["messageCount"]);

        // The conversation page shows both handlers (ours and the demo summary) finishing, without a reload.
        var webhookJob = page.Locator("[data-testid=automation-job][data-handler='CRM webhook']");
        await Assertions.Expect(webhookJob).ToHaveAttributeAsync("data-status", "succeeded", DispatcherWait);
        await Assertions.Expect(page.Locator($"[data-testid=automation-job][data-handler='{EventHandlersDemoData.SummaryName}']"))
            .ToHaveAttributeAsync("data-status", "succeeded", DispatcherWait);
        await Assertions.Expect(page.Locator("[data-testid=timeline-event][data-type=resolution_summary]")).ToContainTextAsync("Closed after");
        await page.ScreenshotToAsync("events-conversation");

        // The run log lists the run; its page shows result, output and the context the handler received.
        await page.GotoAsync($"{_server.BaseUrl}/runs?function={handlerId}");
        var row = page.Locator("[data-testid=run-link]");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=runs-table] [data-testid=run-status]")).ToHaveAttributeAsync("data-status", "ok");
        await page.ScreenshotToAsync("events-run-log");
        await row.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=run-result-text]")).ToContainTextAsync("\"status\": \"notified\"");
        await Assertions.Expect(page.Locator("[data-testid=run-stdout-text]")).ToContainTextAsync("webhook answered 200");
        await Assertions.Expect(page.Locator("[data-testid=run-context-text]")).ToContainTextAsync($"\"publicId\": \"{conversation.PublicId}\"");
        await Assertions.Expect(page.Locator("[data-testid=run-context-text]")).ToContainTextAsync("\"event_type\": \"conversation_closed\"");
        await Assertions.Expect(page.Locator("[data-testid=event-job] [data-testid=job-status]")).ToHaveAttributeAsync("data-status", "succeeded");
        await page.ScreenshotToAsync("events-run");
    }

    [Fact]
    public async Task Admin_ReRunsAFailedJobFromTheRunPage()
    {
        var handlerId = await _server.AddHandlerAsync("Flaky webhook", EventTypes.ConversationHandedOff,
            "def handle_event(context):\n    raise ConnectionError('CRM unreachable')\n");
        var conversationId = await _server.QueryAsync(db => db.Conversations.Where(c => c.Status == ConversationStatus.Open)
            .OrderByDescending(c => c.PublicId).Select(c => c.Id).FirstAsync());
        await using (var scope = _server.ScopeFor(1, "test"))
            await scope.Get<ConversationLifecycle>().HandOffAsync(conversationId, "bot");
        var jobId = await _server.QueryAsync(db => db.EventJobs.Where(j => j.FunctionId == handlerId).Select(j => j.Id).SingleAsync());
        var failed = await EventsTestKit.WaitForAsync(() => _server.QueryJobAsync(jobId), j => j.Status == EventJobStatus.Failed, what: "the job to fail");
        Assert.Contains("ConnectionError: CRM unreachable", failed.LastError);
        var runId = await _server.QueryAsync(db => db.ScriptRuns.Where(r => r.EventJobId == jobId).Select(r => r.Id).SingleAsync());

        await using (var scope = _server.ScopeFor(1, "test"))
        await using (var db = scope.Db())
            await db.PythonFunctions.Where(f => f.Id == handlerId).ExecuteUpdateAsync(s => s
                .SetProperty(f => f.Code, "def handle_event(context):\n    return {'status': 'fixed'}\n"));

        var page = await _browser.NewPageAsync();
        await page.LoginAsync(_server.BaseUrl, "admin@demo.octocom.local", $"/runs/{runId}");
        await Assertions.Expect(page.Locator("[data-testid=run-error]")).ToContainTextAsync("CRM unreachable");
        await page.ClickAsync("[data-testid=rerun-button]");

        // The job card updates live as the second attempt finishes.
        await Assertions.Expect(page.Locator("[data-testid=event-job] [data-testid=job-status]")).ToHaveAttributeAsync("data-status", "succeeded", DispatcherWait);
        await Assertions.Expect(page.Locator("[data-testid=event-job-runs] tr")).ToHaveCountAsync(2);
        var job = await _server.QueryJobAsync(jobId);
        Assert.Equal((EventJobStatus.Succeeded, 2), (job.Status, job.Attempts));
    }
}

internal static class DashboardServerEventExtensions
{
    /// <summary>Adds an active event handler to the "demo" organization (the studio's job in real use).</summary>
    public static async Task<int> AddHandlerAsync(this DashboardServer server, string name, string eventType, string code)
    {
        await using var scope = server.ScopeFor(1, "test");
        await using var db = scope.Db();
        var handler = new PythonFunction { Name = name, Kind = FunctionKind.EventHandler, EventType = eventType, Code = code };
        db.PythonFunctions.Add(handler);
        await db.SaveChangesAsync();
        return handler.Id;
    }

    public static Task<EventJob> QueryJobAsync(this DashboardServer server, long jobId) =>
        server.QueryAsync(db => db.EventJobs.AsNoTracking().SingleAsync(j => j.Id == jobId));

    public static async Task<T> QueryAsync<T>(this DashboardServer server, Func<Octocom.Dashboard.Data.DashboardDbContext, Task<T>> query)
    {
        await using var scope = server.ScopeFor(1);
        await using var db = scope.Db();
        return await query(db);
    }
}
