using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tenancy;
using Octocom.Dashboard.Widgets;

namespace Octocom.Dashboard.Bench;

/// <summary>
/// Opening a conversation with five sidebar widgets that each sleep 200 ms: the time from the runner call (what the
/// sidebar panel does when the page opens: load the active widgets, start every run) to the last of the five
/// outcomes, over the whole app (SQLite, context builder, sandboxed engine, result check, run records). Target:
/// ≤ 1.3 × 200 ms plus the engine overhead, measured as the same open with five widgets that do not sleep.
/// Measured with a pool large enough for the five widgets (--pool, default 8) and with the engine's default (one
/// worker per processor), which runs the widgets in waves. Cache off. Options: --opens N (default 30),
/// --widgets N (default 5), --sleep-ms M (default 200), --pool P (default 8).
/// </summary>
public sealed class WidgetsBenchmark : IBenchmark
{
    public string Name => "widgets";
    public string Description => "five 200 ms sidebar widgets: conversation open → all cards (target ≤ 1.3 × sleep + overhead)";

    public async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var opens = context.IntOption("--opens", 30);
        var widgets = context.IntOption("--widgets", 5);
        var sleepMs = context.IntOption("--sleep-ms", 200);
        var pool = context.IntOption("--pool", 8);

        foreach (var poolSize in new[] { pool, Environment.ProcessorCount }.Distinct())
        {
            await using var app = await CreateAppAsync(Path.Combine(context.WorkDir, $"pool-{poolSize}"), poolSize);
            var engine = app.Services.GetRequiredService<Octocom.Dashboard.Scripting.Engine.IScriptEngine>().Status;
            if (!engine.Available)
            {
                Console.WriteLine($"engine unavailable: {engine.Description}");
                return;
            }
            var trivial = await CreateOrganizationAsync(app, "trivial", widgets, sleepMs: 0);
            var sleepy = await CreateOrganizationAsync(app, "sleepy", widgets, sleepMs);

            for (var i = 0; i < 5; i++) await OpenAsync(app, trivial, ct); // start and warm the workers
            var overhead = new List<double>();
            var open = new List<double>();
            for (var i = 0; i < opens; i++)
            {
                overhead.Add(await OpenAsync(app, trivial, ct));
                open.Add(await OpenAsync(app, sleepy, ct));
            }

            var target = 1.3 * sleepMs + Stats.Percentile(overhead, 50);
            var p50 = Stats.Percentile(open, 50);
            Console.WriteLine($"pool {poolSize} workers{(poolSize == Environment.ProcessorCount ? " (one per processor, for comparison)" : "")}, {widgets} widgets:");
            Console.WriteLine($"  engine overhead (widgets that return at once): {Stats.Summary(overhead)}");
            Console.WriteLine($"    of which one run inside the engine (ScriptRun.DurationMs): {Stats.Summary(await EngineDurationsAsync(app, trivial))}");
            Console.WriteLine($"  open → all {widgets} cards ({sleepMs} ms each):       {Stats.Summary(open)}");
            Console.WriteLine($"  target p50 ≤ 1.3 × {sleepMs} ms + overhead p50 = {target:F1} ms → {(p50 <= target ? "met" : "NOT met")} " +
                              $"(p50 {p50:F1} ms; serial would be {widgets * sleepMs} ms)");
        }
    }

    private sealed record Org(int OrganizationId, Guid ConversationId);

    private static async Task<List<double>> EngineDurationsAsync(WebApplication app, Org org)
    {
        await using var scope = app.Services.GetRequiredService<TenantScopes>().Create(org.OrganizationId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync();
        return await db.ScriptRuns.Select(r => r.DurationMs).ToListAsync();
    }

    /// <summary>One open as the sidebar panel does it: a fresh scope, the active widgets, every run at once.</summary>
    private static async Task<double> OpenAsync(WebApplication app, Org org, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        await using var scope = app.Services.GetRequiredService<TenantScopes>().Create(org.OrganizationId, "bench");
        var runner = scope.ServiceProvider.GetRequiredService<SidebarWidgetRunner>();
        var finished = 0;
        await foreach (var run in runner.RunAllAsync(await runner.GetActiveAsync(ct), org.ConversationId, ct))
        {
            if (run.Outcome.CardState != WidgetCardState.Ok)
                throw new InvalidOperationException($"{run.Widget.Name}: {run.Outcome.Status} {run.Outcome.Error?.Message}");
            finished++;
        }
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return finished > 0 ? elapsed : throw new InvalidOperationException("no widget ran");
    }

    private static async Task<WebApplication> CreateAppAsync(string dir, int poolSize)
    {
        Directory.CreateDirectory(dir);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DashboardApp).Assembly.GetName().Name,
            EnvironmentName = "Production",
            ContentRootPath = dir,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(dir, "bench.db")}",
            ["Database:KeysPath"] = Path.Combine(dir, "keys"),
            ["DemoData:Enabled"] = "false",
            ["Scripting:PoolSize"] = poolSize.ToString(),
            ["Widgets:CacheDuration"] = "00:00:00",
        });
        builder.AddDashboard(cli: true);
        var app = builder.Build();
        await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return app;
    }

    private static async Task<Org> CreateOrganizationAsync(WebApplication app, string slug, int widgets, int sleepMs)
    {
        int organizationId;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync())
        {
            var organization = new Organization { Name = slug, Slug = slug };
            db.Organizations.Add(organization);
            await db.SaveChangesAsync();
            organizationId = organization.Id;
        }
        await using var scope = app.Services.GetRequiredService<TenantScopes>().Create(organizationId);
        await using var tenantDb = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync();
        var business = new Business { OrganizationId = organizationId, Name = slug, Slug = slug + "-shop" };
        tenantDb.Businesses.Add(business);
        await tenantDb.SaveChangesAsync();
        var customer = new Customer { OrganizationId = organizationId, Email = "ada@example.com", Name = "Ada Lovelace" };
        var conversation = new Conversation
        {
            OrganizationId = organizationId, BusinessId = business.Id, PublicId = PublicIdGenerator.Next(), Subject = "Where is my order?",
            CustomerId = customer.Id, InitialChannel = Channels.Web, LatestChannel = Channels.Web,
        };
        for (var i = 0; i < 20; i++)
            conversation.Messages.Add(new Message
            {
                OrganizationId = organizationId, ConversationId = conversation.Id, Sender = i % 2 == 0 ? MessageSender.Customer : MessageSender.Agent,
                Content = $"Message {i}: my order #10{i:00} has not arrived yet, could you check the tracking number please?",
                Timestamp = DateTime.UtcNow.AddMinutes(i - 20),
            });
        conversation.MessageCount = conversation.Messages.Count;
        tenantDb.Customers.Add(customer);
        tenantDb.Conversations.Add(conversation);
        for (var i = 1; i <= widgets; i++)
            tenantDb.PythonFunctions.Add(new PythonFunction
            {
                Kind = FunctionKind.SidebarWidget, Name = $"Widget {i}", SortOrder = i, Code = $$$"""
                    import time

                    def get_sidebar_data(context):
                        time.sleep({{{(sleepMs / 1000.0).ToString(System.Globalization.CultureInfo.InvariantCulture)}}})
                        customer = context["customer"] or {}
                        return {"title": "Widget {{{i}}}", "items": [{"title": customer.get("name") or "Unknown", "sections": [
                            {"title": "Conversation", "fields": {"Messages": len(context["conversation"]["messages"])}}]}]}
                    """,
            });
        await tenantDb.SaveChangesAsync();
        return new Org(organizationId, conversation.Id);
    }
}
