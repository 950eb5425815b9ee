using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Events;

/// <summary>Event tests run one at a time (each starts Python workers and a dispatcher on a 2-core machine).</summary>
[CollectionDefinition(Name)]
public sealed class EventsCollection
{
    public const string Name = "Events";
}

/// <summary>Settings, arrangement and waiting helpers shared by the event tests.</summary>
public static class EventsTestKit
{
    /// <summary>
    /// A quick dispatcher for tests: handler timeout <paramref name="handlerTimeoutSeconds"/> (the 60 s default,
    /// configured down), the shortest valid lease, a 200 ms poll, 100 ms × 2ⁿ backoff without jitter.
    /// </summary>
    public static Dictionary<string, string?> Settings(double handlerTimeoutSeconds = 5, int poolSize = 2, int concurrency = 2,
        int maxAttempts = 3, IDictionary<string, string?>? overrides = null)
    {
        var timeout = TimeSpan.FromSeconds(handlerTimeoutSeconds);
        var settings = new Dictionary<string, string?>
        {
            ["Scripting:PoolSize"] = poolSize.ToString(),
            ["Scripting:Limits:EventHandler:Timeout"] = timeout.ToString(),
            ["Scripting:Limits:EventHandler:CpuSeconds"] = Math.Max(1, (int)Math.Ceiling(handlerTimeoutSeconds)).ToString(),
            ["Events:Concurrency"] = concurrency.ToString(),
            ["Events:PollInterval"] = "00:00:00.200",
            ["Events:LeaseDuration"] = EventsOptionsValidator.MinimumLease(timeout).ToString(),
            ["Events:MaxAttempts"] = maxAttempts.ToString(),
            ["Events:RetryBaseDelay"] = "00:00:00.100",
            ["Events:RetryMaxDelay"] = "00:00:01",
            ["Events:RetryJitter"] = "0",
            ["Events:ShutdownGracePeriod"] = "00:00:00.300",
        };
        if (overrides is not null)
            foreach (var (key, value) in overrides) settings[key] = value;
        return settings;
    }

    /// <summary>A fresh organization with one business.</summary>
    public static Task<TestData.Tenant> NewTenantAsync(this TestApp app) =>
        app.CreateTenantAsync($"org{Guid.NewGuid():N}"[..12], $"shop-{Guid.NewGuid():N}"[..16]);

    public static EventDispatcher Dispatcher(this TestApp app) => app.Services.GetRequiredService<EventDispatcher>();

    /// <summary>TestApp does not start hosted services; tests start the dispatcher exactly as the host would.</summary>
    public static Task StartDispatcherAsync(this TestApp app) => app.Dispatcher().StartAsync(CancellationToken.None);

    public static Task StopDispatcherAsync(this TestApp app) => app.Dispatcher().StopAsync(CancellationToken.None);

    public static async Task<PythonFunction> AddHandlerAsync(this TestApp app, TestData.Tenant tenant, string name, string code,
        string eventType = EventTypes.ConversationClosed, bool active = true)
    {
        await using var scope = app.ScopeFor(tenant.OrganizationId);
        await using var db = scope.Db();
        var handler = new PythonFunction { Name = name, Kind = FunctionKind.EventHandler, EventType = eventType, IsActive = active, Code = code };
        db.PythonFunctions.Add(handler);
        await db.SaveChangesAsync();
        return handler;
    }

    public static async Task CloseAsync(this TestApp app, TestData.Tenant tenant, Guid conversationId)
    {
        await using var scope = app.ScopeFor(tenant.OrganizationId, "agent@acme.test");
        await scope.Get<ConversationLifecycle>().CloseAsync(conversationId, "agent:Test");
    }

    public static Task<List<EventJob>> JobsAsync(this TestApp app, TestData.Tenant tenant, Guid conversationId) =>
        app.QueryAsync(tenant.OrganizationId, db => db.EventJobs.AsNoTracking().Where(j => j.ConversationId == conversationId).OrderBy(j => j.Id).ToListAsync());

    public static Task<EventJob> JobAsync(this TestApp app, TestData.Tenant tenant, long jobId) =>
        app.QueryAsync(tenant.OrganizationId, db => db.EventJobs.AsNoTracking().SingleAsync(j => j.Id == jobId));

    public static Task<List<ScriptRun>> RunsAsync(this TestApp app, TestData.Tenant tenant, long jobId) =>
        app.QueryAsync(tenant.OrganizationId, db => db.ScriptRuns.AsNoTracking().Where(r => r.EventJobId == jobId).OrderBy(r => r.Id).ToListAsync());

    /// <summary>Waits until every job of the conversation has ended (Succeeded or Failed).</summary>
    public static Task<List<EventJob>> WaitForJobsToEndAsync(this TestApp app, TestData.Tenant tenant, Guid conversationId, int expected,
        TimeSpan? timeout = null) =>
        WaitForAsync(() => app.JobsAsync(tenant, conversationId),
            jobs => jobs.Count == expected && jobs.All(j => j.Status is EventJobStatus.Succeeded or EventJobStatus.Failed),
            timeout, "jobs to end");

    /// <summary>
    /// Polls <paramref name="read"/> until <paramref name="done"/> holds. The limit is generous (a loaded 2-core machine);
    /// it guards against hanging, it is not a performance assertion.
    /// </summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null, string what = "condition")
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Gave up waiting for {what}; last state: {Describe(value)}");
            await Task.Delay(50);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        WaitForAsync(() => Task.FromResult(condition()), ok => ok, timeout, what);

    private static string Describe<T>(T value) => value switch
    {
        IEnumerable<EventJob> jobs => string.Join("; ", jobs.Select(j => $"job {j.Id} {j.Status} attempts {j.Attempts} error {j.LastError}")),
        _ => value?.ToString() ?? "null",
    };
}
