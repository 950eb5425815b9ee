using Octocom.Dashboard.Events;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Events;

/// <summary>
/// The retry policy through the real dispatcher and engine: the 60-second handler timeout configured down to 2 s,
/// at most 3 attempts, backoff 100 ms × 2ⁿ (no jitter). Transient failures are retried with backoff up to the
/// maximum; a script's own error or an invalid result is final at once.
/// </summary>
[Collection(EventsCollection.Name)]
public sealed class EventRetryTests : IClassFixture<EventRetryTests.Fixture>
{
    public sealed class Fixture() : RunningDispatcherFixture(EventsTestKit.Settings(handlerTimeoutSeconds: 2, poolSize: 2, concurrency: 2, maxAttempts: 3));

    private readonly TestApp _app;
    private readonly WebhookReceiver _receiver;

    public EventRetryTests(Fixture fixture)
    {
        _app = fixture.App;
        _receiver = fixture.Receiver;
    }

    /// <summary>One handler in a fresh organization, one conversation closed: returns the job once it has ended, and its runs.</summary>
    private async Task<(EventJob Job, List<ScriptRun> Runs)> RunHandlerAsync(string name, string code)
    {
        var tenant = await _app.NewTenantAsync();
        await _app.AddHandlerAsync(tenant, name, code);
        var conversation = await _app.CreateConversationAsync(tenant);
        await _app.CloseAsync(tenant, conversation.Id);
        var job = Assert.Single(await _app.WaitForJobsToEndAsync(tenant, conversation.Id, expected: 1));
        return (job, await _app.RunsAsync(tenant, job.Id));
    }

    [Fact]
    public async Task Timeout_IsRetriedWithGrowingBackoffUpToMaxAttempts_ThenFails()
    {
        var (job, runs) = await RunHandlerAsync("Hangs", """
            import time
            def handle_event(context):
                time.sleep(30)
            """);

        Assert.Equal((EventJobStatus.Failed, 3), (job.Status, job.Attempts));
        Assert.StartsWith("Gave up after 3 attempt(s): Timeout", job.LastError);
        Assert.Equal([1, 2, 3], runs.Select(r => r.Attempt));
        Assert.All(runs, r => Assert.Equal(ScriptRunStatus.Timeout, r.Status));
        Assert.All(runs, r => Assert.InRange(r.DurationMs, 2000, 30_000)); // stopped by the (configured-down) handler timeout
        // Each retry was leased only once its backoff had passed: 100 ms after attempt 1, 200 ms after attempt 2.
        for (var i = 1; i < runs.Count; i++)
        {
            var previousEnd = runs[i - 1].StartedAt.AddMilliseconds(runs[i - 1].DurationMs);
            var backoff = TimeSpan.FromMilliseconds(100 * Math.Pow(2, i - 1));
            Assert.True(runs[i].StartedAt >= previousEnd + backoff,
                $"attempt {i + 1} started {(runs[i].StartedAt - previousEnd).TotalMilliseconds:0} ms after attempt {i} ended; backoff {backoff.TotalMilliseconds} ms");
        }
        Assert.NotNull(job.CompletedAt);
    }

    [Fact]
    public async Task KilledWorker_IsRetried_AndTheRetrySucceeds()
    {
        var counter = $"crash-{Guid.NewGuid():N}";
        var (job, runs) = await RunHandlerAsync("Crashes once", $$"""
            import os, requests
            def handle_event(context):
                attempt = int(requests.get("{{_receiver.CountUrl(counter)}}", timeout=5).text)
                if attempt == 1:
                    os._exit(3)   # the run's process dies: status killed
                return {"attempt": attempt}
            """);

        Assert.Equal((EventJobStatus.Succeeded, 2, null), (job.Status, job.Attempts, job.LastError));
        Assert.Equal([(1, ScriptRunStatus.Killed), (2, ScriptRunStatus.Ok)], runs.Select(r => (r.Attempt, r.Status)));
    }

    [Fact]
    public async Task ScriptException_IsNotRetried()
    {
        var (job, runs) = await RunHandlerAsync("Raises", """
            def handle_event(context):
                raise ValueError("CRM said no")
            """);

        Assert.Equal((EventJobStatus.Failed, 1, "ValueError: CRM said no (line 2)"), (job.Status, job.Attempts, job.LastError));
        Assert.Equal(ScriptRunStatus.Error, Assert.Single(runs).Status);
    }

    [Fact]
    public async Task InvalidResult_IsNotRetried()
    {
        var (job, runs) = await RunHandlerAsync("Returns a datetime", """
            import datetime
            def handle_event(context):
                return {"when": datetime.datetime.now()}
            """);

        Assert.Equal((EventJobStatus.Failed, 1), (job.Status, job.Attempts));
        Assert.Contains("datetime", job.LastError);
        Assert.Equal(ScriptRunStatus.Invalid, Assert.Single(runs).Status);
    }
}

/// <summary>An engine that cannot run scripts here (no python3) is a transient failure: retried, then failed with the reason.</summary>
[Collection(EventsCollection.Name)]
public sealed class EventRetryUnavailableEngineTests
{
    [Fact]
    public async Task EngineUnavailable_IsRetriedUpToMaxAttempts_ThenFailsSayingWhy()
    {
        await using var app = await TestApp.CreateAsync(settings: EventsTestKit.Settings(maxAttempts: 2,
            overrides: new Dictionary<string, string?> { ["Scripting:PythonPath"] = "/nonexistent/python3" }));
        var tenant = await app.CreateTenantAsync();
        await app.AddHandlerAsync(tenant, "Never runs", "def handle_event(context):\n    return {}\n");
        var conversation = await app.CreateConversationAsync(tenant);
        await app.StartDispatcherAsync();
        try
        {
            await app.CloseAsync(tenant, conversation.Id);
            var job = Assert.Single(await app.WaitForJobsToEndAsync(tenant, conversation.Id, expected: 1));

            Assert.Equal((EventJobStatus.Failed, 2), (job.Status, job.Attempts));
            Assert.StartsWith("Gave up after 2 attempt(s):", job.LastError);
            var runs = await app.RunsAsync(tenant, job.Id);
            Assert.Equal([ScriptRunStatus.Unavailable, ScriptRunStatus.Unavailable], runs.Select(r => r.Status));
        }
        finally
        {
            await app.StopDispatcherAsync();
        }
    }
}
