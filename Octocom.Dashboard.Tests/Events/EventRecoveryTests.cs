using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Events;

/// <summary>
/// Crash safety and restarts: every test keeps its database in its own folder and runs one dashboard after another on
/// it. Handlers are held mid-run at a gate of the fake receiver, so "stop while a handler runs" needs no sleeps.
/// </summary>
[Collection(EventsCollection.Name)]
public sealed class EventRecoveryTests : IAsyncLifetime
{
    private const double HandlerTimeout = 5; // seconds; the lease is then 8 s
    private readonly TempDirectory _dir = new();
    private WebhookReceiver _receiver = default!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _dir.Dispose();
    }

    private Dictionary<string, string?> Settings(string grace = "00:00:00.300") => EventsTestKit.Settings(HandlerTimeout, overrides: new Dictionary<string, string?>
    {
        ["Database:ConnectionString"] = $"Data Source={_dir.File("events.db")}",
        ["Database:KeysPath"] = _dir.File("keys"),
        ["Events:ShutdownGracePeriod"] = grace,
    });

    /// <summary>A dashboard (services only) on this test's database.</summary>
    private Task<TestApp> AppAsync(string grace = "00:00:00.300") => TestApp.CreateAsync(settings: Settings(grace));

    private string GatedHandler(string gate) => $$"""
        import time, requests
        def handle_event(context):
            while requests.get("{{_receiver.GateUrl(gate)}}", timeout=5).text != "open":
                time.sleep(0.05)
            return {"done": True}
        """;

    /// <summary>One gated handler, one closed conversation; returns the job's ID (the dispatcher is not started).</summary>
    private static async Task<(TestData.Tenant Tenant, long JobId)> QueueGatedJobAsync(TestApp app, string code)
    {
        var tenant = await app.CreateTenantAsync();
        await app.AddHandlerAsync(tenant, "Gated", code);
        var conversation = await app.CreateConversationAsync(tenant);
        await app.CloseAsync(tenant, conversation.Id);
        return (tenant, Assert.Single(await app.JobsAsync(tenant, conversation.Id)).Id);
    }

    [Fact]
    public async Task StopDuringARun_ReleasesTheJob_AndTheNextInstanceCompletesIt()
    {
        var gate = $"restart-{Guid.NewGuid():N}";
        TestData.Tenant tenant;
        long jobId;
        await using (var first = await AppAsync())
        {
            (tenant, jobId) = await QueueGatedJobAsync(first, GatedHandler(gate));
            await first.StartDispatcherAsync();
            await EventsTestKit.WaitUntilAsync(() => _receiver.IsWaitingAt(gate), "the handler to start");

            await first.StopDispatcherAsync(); // grace 0.3 s passes with the handler still at the gate

            var released = await first.JobAsync(tenant, jobId);
            Assert.Equal((EventJobStatus.Pending, 0, null), (released.Status, released.Attempts, released.LeaseOwner));
            Assert.Equal(ScriptRunStatus.Cancelled, Assert.Single(await first.RunsAsync(tenant, jobId)).Status);
        }

        _receiver.Open(gate);
        await using var second = await AppAsync();
        await second.StartDispatcherAsync();
        try
        {
            var job = await EventsTestKit.WaitForAsync(() => second.JobAsync(tenant, jobId), j => j.Status == EventJobStatus.Succeeded, what: "the job");
            Assert.Equal(1, job.Attempts); // the interrupted attempt did not count
            var runs = await second.RunsAsync(tenant, jobId);
            Assert.Equal([(1, ScriptRunStatus.Cancelled), (1, ScriptRunStatus.Ok)], runs.Select(r => (r.Attempt, r.Status)));
        }
        finally
        {
            await second.StopDispatcherAsync();
        }
    }

    [Fact]
    public async Task StopDuringARun_LetsItFinishWithinTheGracePeriod_AndLeasesNothingNew()
    {
        var gate = $"grace-{Guid.NewGuid():N}";
        await using var app = await AppAsync(grace: "00:01:00");
        var (tenant, jobId) = await QueueGatedJobAsync(app, GatedHandler(gate));
        await app.StartDispatcherAsync();
        await EventsTestKit.WaitUntilAsync(() => _receiver.IsWaitingAt(gate), "the handler to start");

        var stopping = app.StopDispatcherAsync();
        var later = await app.CreateConversationAsync(tenant);
        await app.CloseAsync(tenant, later.Id); // queued while the dispatcher drains
        Assert.False(stopping.IsCompleted, "the dispatcher should wait for the running handler");
        _receiver.Open(gate);
        await stopping;

        var job = await app.JobAsync(tenant, jobId);
        Assert.Equal((EventJobStatus.Succeeded, 1), (job.Status, job.Attempts));
        Assert.Equal(ScriptRunStatus.Ok, Assert.Single(await app.RunsAsync(tenant, jobId)).Status);
        var notLeased = Assert.Single(await app.JobsAsync(tenant, later.Id));
        Assert.Equal((EventJobStatus.Pending, 0), (notLeased.Status, notLeased.Attempts));
    }

    [Fact]
    public async Task JobLeftRunningByACrashedInstance_IsRunAgainOnlyAfterItsLeaseExpires()
    {
        await using var app = await AppAsync();
        var (tenant, jobId) = await QueueGatedJobAsync(app, "def handle_event(context):\n    return {'recovered': True}\n");
        // What a kill -9 mid-run leaves behind: the job Running under a lease nobody will renew or finish.
        var leasedUntil = DateTime.UtcNow.AddSeconds(3);
        await using (var scope = app.ScopeFor(tenant.OrganizationId))
        await using (var db = scope.Db())
            await db.EventJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, EventJobStatus.Running).SetProperty(j => j.Attempts, 1)
                .SetProperty(j => j.LeaseOwner, "crashed-host/1234/deadbeef").SetProperty(j => j.LeasedUntil, leasedUntil));

        await app.StartDispatcherAsync();
        try
        {
            var job = await EventsTestKit.WaitForAsync(() => app.JobAsync(tenant, jobId), j => j.Status == EventJobStatus.Succeeded, what: "the recovered job");

            Assert.Equal(2, job.Attempts);
            var run = Assert.Single(await app.RunsAsync(tenant, jobId));
            Assert.Equal((2, ScriptRunStatus.Ok), (run.Attempt, run.Status));
            Assert.True(run.StartedAt >= leasedUntil, $"run started at {run.StartedAt:O}, before the lease expired at {leasedUntil:O}");
        }
        finally
        {
            await app.StopDispatcherAsync();
        }
    }

    [Fact]
    public async Task JobInterruptedOnItsLastAttempt_FailsInsteadOfRunningForever()
    {
        await using var app = await AppAsync();
        var (tenant, jobId) = await QueueGatedJobAsync(app, "def handle_event(context):\n    return {}\n");
        await using (var scope = app.ScopeFor(tenant.OrganizationId))
        await using (var db = scope.Db())
            await db.EventJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, EventJobStatus.Running).SetProperty(j => j.Attempts, 3) // Events:MaxAttempts = 3
                .SetProperty(j => j.LeaseOwner, "crashed").SetProperty(j => j.LeasedUntil, DateTime.UtcNow.AddSeconds(-1)));

        await app.StartDispatcherAsync();
        try
        {
            var job = await EventsTestKit.WaitForAsync(() => app.JobAsync(tenant, jobId), j => j.Status == EventJobStatus.Failed, what: "the job to fail");
            Assert.Contains("interrupted", job.LastError);
            Assert.Empty(await app.RunsAsync(tenant, jobId));
        }
        finally
        {
            await app.StopDispatcherAsync();
        }
    }

    [Fact]
    public async Task KillMinus9DuringARun_TheJobIsLeasedAgainAfterExpiryAndCompletes()
    {
        var gate = $"kill-{Guid.NewGuid():N}";
        TestData.Tenant tenant;
        long jobId;
        await using (var setup = await AppAsync())
            (tenant, jobId) = await QueueGatedJobAsync(setup, GatedHandler(gate));

        // The real dashboard as a separate process, so it can be killed with SIGKILL mid-run.
        using (var dashboard = StartDashboardProcess())
        {
            try
            {
                await EventsTestKit.WaitUntilAsync(() => _receiver.IsWaitingAt(gate) || dashboard.HasExited, "the child dashboard's handler to start");
                Assert.False(dashboard.HasExited, "the child dashboard exited early");
            }
            finally
            {
                dashboard.Kill(entireProcessTree: true); // SIGKILL: no shutdown code runs
                await dashboard.WaitForExitAsync();
            }
        }

        await using var next = await AppAsync();
        var abandoned = await next.JobAsync(tenant, jobId);
        Assert.Equal((EventJobStatus.Running, 1), (abandoned.Status, abandoned.Attempts));
        Assert.NotNull(abandoned.LeaseOwner);
        Assert.Empty(await next.RunsAsync(tenant, jobId)); // killed before it could record anything
        var leasedUntil = abandoned.LeasedUntil!.Value;

        _receiver.Open(gate);
        await next.StartDispatcherAsync();
        try
        {
            var job = await EventsTestKit.WaitForAsync(() => next.JobAsync(tenant, jobId), j => j.Status == EventJobStatus.Succeeded, what: "the job");
            Assert.Equal(2, job.Attempts);
            var run = Assert.Single(await next.RunsAsync(tenant, jobId));
            Assert.Equal((2, ScriptRunStatus.Ok), (run.Attempt, run.Status));
            Assert.True(run.StartedAt >= leasedUntil, "the job was leased again before its lease expired");
        }
        finally
        {
            await next.StopDispatcherAsync();
        }
    }

    private Process StartDashboardProcess()
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, "Octocom.Dashboard.dll");
        var start = new ProcessStartInfo("dotnet", [assembly])
        {
            WorkingDirectory = _dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in Settings()) start.Environment[key.Replace(":", "__")] = value;
        start.Environment["Urls"] = "http://127.0.0.1:0";
        start.Environment["DemoData__Enabled"] = "false";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
