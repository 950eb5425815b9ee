using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Bench;

/// <summary>
/// Event handlers through the real dispatcher, engine and SQLite file, one trivial active handler:
/// (1) throughput — N conversations closed while the dispatcher is stopped, then the dispatcher drains the N queued jobs
/// (jobs/s); (2) close-to-start delay — N conversations closed back to back while the dispatcher runs: for each job, the
/// run's start (ScriptRun.StartedAt) minus the close (EventJob.CreatedAt), p50/p99; (3) the same delay for closes paced
/// below capacity (the idle wake-up path). Options: --events N (default 1000), --paced N (default 200), --pace-ms M
/// (default 50), --concurrency C (default: Events:Concurrency default = the engine pool size).
/// </summary>
public sealed class EventsBenchmark : IBenchmark
{
    public string Name => "events";
    public string Description => "event dispatcher: jobs/s for a trivial handler, close-to-handler-start delay p50/p99";

    private const string Handler = "def handle_event(context):\n    return {'ok': True}\n";

    public async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var events = context.IntOption("--events", 1000);
        var paced = context.IntOption("--paced", 200);
        var paceMs = context.IntOption("--pace-ms", 50);
        var concurrency = context.IntOption("--concurrency", 0);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DashboardApp).Assembly.GetName().Name,
            EnvironmentName = "Production",
            ContentRootPath = context.WorkDir,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(context.WorkDir, "events.db")}",
            ["Database:KeysPath"] = Path.Combine(context.WorkDir, "keys"),
            ["DemoData:Enabled"] = "false",
            ["Events:Concurrency"] = concurrency.ToString(),
        });
        builder.AddDashboard(cli: true);
        await using var app = builder.Build();
        await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
        var engine = app.Services.GetRequiredService<PythonScriptEngine>();
        Console.WriteLine($"engine: {engine.Status.Description}");
        if (!engine.Status.Available) return;
        await engine.WarmUpAsync();
        var dispatcher = app.Services.GetRequiredService<EventDispatcher>();
        Console.WriteLine($"dispatcher: {dispatcher.Concurrency} handler(s) at once, engine pool {engine.Status.PoolSize}");

        var organizationId = await ArrangeAsync(app.Services, 2 * events + paced + 20, ct);
        var scopes = app.Services.GetRequiredService<TenantScopes>();
        var open = new Queue<Guid>(await OpenConversationsAsync(scopes, organizationId, ct));

        try
        {
            // Warm-up: a few jobs through the whole path.
            await dispatcher.StartAsync(ct);
            var warm = await CloseAsync(scopes, organizationId, open, 20, TimeSpan.Zero, ct);
            await WaitForAsync(scopes, organizationId, warm, ct);
            await dispatcher.StopAsync(ct);

            // (1) Throughput: N queued jobs drained by the dispatcher.
            var queued = await CloseAsync(scopes, organizationId, open, events, TimeSpan.Zero, ct);
            var stopwatch = Stopwatch.StartNew();
            await dispatcher.StartAsync(ct);
            await WaitForAsync(scopes, organizationId, queued, ct);
            var elapsed = stopwatch.Elapsed;
            Console.WriteLine($"throughput: {events} queued jobs drained in {elapsed.TotalSeconds:F2} s = {events / elapsed.TotalSeconds:N0} jobs/s");

            // (2) Close-to-start delay while N conversations are closed back to back (a backlog builds up).
            var burst = await CloseAsync(scopes, organizationId, open, events, TimeSpan.Zero, ct);
            var burstDelays = await WaitForAsync(scopes, organizationId, burst, ct);
            Console.WriteLine($"close→start, {events} closes back to back: {Stats.Summary(burstDelays)}");

            // (3) The same for closes paced below capacity: the wake-up signal, not the backlog.
            var calm = await CloseAsync(scopes, organizationId, open, paced, TimeSpan.FromMilliseconds(paceMs), ct);
            var calmDelays = await WaitForAsync(scopes, organizationId, calm, ct);
            Console.WriteLine($"close→start, one close every {paceMs} ms: {Stats.Summary(calmDelays)}");
        }
        finally
        {
            await dispatcher.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<int> ArrangeAsync(IServiceProvider services, int conversations, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<DashboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        var org = new Organization { Name = "Bench", Slug = "bench" };
        db.Organizations.Add(org);
        await db.SaveChangesAsync(ct);
        var business = new Business { OrganizationId = org.Id, Name = "Bench shop", Slug = "bench-shop" };
        db.Businesses.Add(business);
        db.PythonFunctions.Add(new PythonFunction
        {
            OrganizationId = org.Id, Name = "Trivial", Kind = FunctionKind.EventHandler, EventType = EventTypes.ConversationClosed, Code = Handler,
        });
        await db.SaveChangesAsync(ct);
        var random = new Random(7);
        var now = DateTime.UtcNow;
        for (var i = 0; i < conversations; i++)
        {
            var conversation = new Conversation
            {
                OrganizationId = org.Id, BusinessId = business.Id, PublicId = PublicIdGenerator.Next(random), Subject = $"Bench {i}",
                InitialChannel = Channels.Web, LatestChannel = Channels.Web, MessageCount = 3,
            };
            foreach (var (sender, text) in new[] { (MessageSender.Customer, "Where is my order?"), (MessageSender.Bot, "Let me check."), (MessageSender.Customer, "Thanks") })
                conversation.Messages.Add(new Message
                {
                    OrganizationId = org.Id, ConversationId = conversation.Id, Sender = sender, Content = text, Channel = Channels.Web, Timestamp = now,
                });
            db.Conversations.Add(conversation);
        }
        await db.SaveChangesAsync(ct);
        return org.Id;
    }

    private static async Task<List<Guid>> OpenConversationsAsync(TenantScopes scopes, int organizationId, CancellationToken ct)
    {
        await using var scope = scopes.Create(organizationId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync(ct);
        return await db.Conversations.Select(c => c.Id).ToListAsync(ct);
    }

    /// <summary>Closes <paramref name="count"/> conversations through ConversationLifecycle, each in its own transaction.</summary>
    private static async Task<List<Guid>> CloseAsync(TenantScopes scopes, int organizationId, Queue<Guid> open, int count, TimeSpan pace,
        CancellationToken ct)
    {
        var closed = new List<Guid>(count);
        await using var scope = scopes.Create(organizationId, "bench");
        var lifecycle = scope.ServiceProvider.GetRequiredService<ConversationLifecycle>();
        for (var i = 0; i < count; i++)
        {
            var id = open.Dequeue();
            await lifecycle.CloseAsync(id, "bench", ct);
            closed.Add(id);
            if (pace > TimeSpan.Zero) await Task.Delay(pace, ct);
        }
        return closed;
    }

    /// <summary>Waits until every job of these conversations has succeeded; returns each job's close-to-start delay in ms.</summary>
    private static async Task<List<double>> WaitForAsync(TenantScopes scopes, int organizationId, List<Guid> conversations, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddMinutes(15);
        while (true)
        {
            await using var scope = scopes.Create(organizationId);
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync(ct);
            var jobs = await db.EventJobs.AsNoTracking().Where(j => conversations.Contains(j.ConversationId)).ToListAsync(ct);
            if (jobs.Count == conversations.Count && jobs.All(j => j.Status is EventJobStatus.Succeeded or EventJobStatus.Failed))
            {
                var failed = jobs.Count(j => j.Status == EventJobStatus.Failed);
                if (failed > 0) Console.WriteLine($"  warning: {failed} job(s) failed: {jobs.First(j => j.Status == EventJobStatus.Failed).LastError}");
                var ids = jobs.Select(j => j.Id).ToList();
                var starts = await db.ScriptRuns.AsNoTracking().Where(r => r.EventJobId != null && ids.Contains(r.EventJobId.Value))
                    .GroupBy(r => r.EventJobId!.Value).Select(g => new { JobId = g.Key, Start = g.Min(r => r.StartedAt) }).ToDictionaryAsync(x => x.JobId, x => x.Start, ct);
                return jobs.Where(j => starts.ContainsKey(j.Id)).Select(j => (starts[j.Id] - j.CreatedAt).TotalMilliseconds).ToList();
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The dispatcher did not finish the jobs within 15 minutes.");
            await Task.Delay(20, ct);
        }
    }
}
