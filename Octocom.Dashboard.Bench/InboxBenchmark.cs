using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.Bench;

/// <summary>
/// <c>inbox [--size 100000] [--iterations 20] [--cache DIR] [--fresh]</c>: the inbox query an agent's page load makes
/// (<see cref="InboxService.SearchAsync"/>: total count + one page of 25) over --size conversations in one organization —
/// first page, deep pages, status/business filters and the three kinds of search (public ID, subject, customer email).
/// </summary>
public sealed class InboxBenchmark : IBenchmark
{
    public string Name => "inbox";
    public string Description => "Inbox count + page of 25 over --size conversations (default 100,000): pages, filters, search";

    private const int PageSize = 25;

    public async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var size = context.IntOption("--size", 100_000);
        var iterations = context.IntOption("--iterations", 20);
        var database = await SeededDatabase.EnsureAsync(context, size, ct, metadataPerConversation: 0);
        await using var app = await BenchApp.StartAsync(database, context.WorkDir, (int)new DatabaseOptions().MmapSizeMb);
        var organizationId = await app.OrganizationIdAsync("demo");
        var (publicId, businessId) = await SampleAsync(app, organizationId);
        var orderNumber = Octocom.Dashboard.Data.Seeding.BulkConversationSeeder.OrderNumber(size / 3);
        var total = (await SearchAsync(app, organizationId, new InboxFilter(), 0, ct)).Total;
        Console.WriteLine($"database {database}: {total:N0} conversations in the organization, {Environment.ProcessorCount} cores");

        (string Name, InboxFilter Filter, int Page)[] scenarios =
        [
            ("first page, no filter", new InboxFilter(), 0),
            ("page 100 (rows 2,501–2,525)", new InboxFilter(), 99),
            ("last page", new InboxFilter(), (total - 1) / PageSize),
            ("status = open, first page", new InboxFilter(Status: ConversationStatus.Open), 0),
            ("business + status = handed off + channel = web", new InboxFilter(BusinessId: businessId, Status: ConversationStatus.HandedOff, Channel: Channels.Web), 0),
            ($"search by public ID ({publicId})", new InboxFilter(Search: publicId), 0),
            ("default view: mine + unassigned, open or handed off", new InboxFilter(View: InboxView.MineAndUnassigned, ActiveOnly: true), 0),
            ("unassigned, oldest waiting first", new InboxFilter(View: InboxView.Unassigned, ActiveOnly: true, Sort: InboxSort.Waiting), 0),
            ("search in subjects (\"conversation 4242\")", new InboxFilter(Search: "conversation 4242"), 0),
            ("search in message text: an order number (\"" + orderNumber + "\")", new InboxFilter(Search: orderNumber), 0),
            ("search in message text: a product (\"teal kayak\")", new InboxFilter(Search: "teal kayak"), 0),
            ("search in message text: one word in 1 of 40 (\"kayak\")", new InboxFilter(Search: "kayak"), 0),
            ("search in customer emails (\"customer777.\")", new InboxFilter(Search: "customer777."), 0),
            ("search, worst case: a word in every conversation (\"order\")", new InboxFilter(Search: "order"), 0),
        ];

        Console.WriteLine();
        Console.WriteLine($"| Inbox request ({total:N0} conversations) | matches | p50 | p95 | p99 |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (name, filter, page) in scenarios)
        {
            var millis = new List<double>();
            var matches = 0;
            for (var i = 0; i < iterations + 2; i++)
            {
                var watch = Stopwatch.StartNew();
                matches = (await SearchAsync(app, organizationId, filter, page, ct)).Total;
                if (i >= 2) millis.Add(watch.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"| {name} | {matches:N0} | {Stats.Percentile(millis, 50):N1} ms | {Stats.Percentile(millis, 95):N1} ms | {Stats.Percentile(millis, 99):N1} ms |");
        }
        await CountsAsync(app, organizationId, Math.Min(iterations, 5), ct);
        await LikeBaselineAsync(app, organizationId, Math.Min(iterations, 3), ct);
        Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    }

    /// <summary>
    /// The navigation's and the tabs' counts (<see cref="InboxService.CountsAsync"/>: total + unread of Mine, Unassigned
    /// and All over open and handed-off conversations) for one agent who has read nothing — the worst case for unread.
    /// </summary>
    private static async Task CountsAsync(BenchApp app, int organizationId, int iterations, CancellationToken ct)
    {
        var millis = new List<double>();
        var unread = 0;
        for (var i = 0; i < iterations + 1; i++)
        {
            var (scope, inbox) = app.ServiceFor<InboxService>(organizationId);
            await using (scope!)
            {
                var tenant = ((AsyncServiceScope)scope!).ServiceProvider.GetRequiredService<Octocom.Dashboard.Tenancy.TenantContext>();
                tenant.SetUser(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                [
                    new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, "bench-agent"),
                    new System.Security.Claims.Claim(Octocom.Dashboard.Tenancy.TenantContext.OrganizationClaim, organizationId.ToString()),
                ], "bench")));
                var watch = Stopwatch.StartNew();
                unread = (await inbox.CountsAsync(ct)).All.Unread;
                if (i >= 1) millis.Add(watch.Elapsed.TotalMilliseconds);
            }
        }
        Console.WriteLine($"| view counts: total + unread of Mine, Unassigned, All (one agent, nothing read) | {unread:N0} unread | {Stats.Percentile(millis, 50):N1} ms | {Stats.Percentile(millis, 95):N1} ms | {Stats.Percentile(millis, 99):N1} ms |");
    }

    /// <summary>
    /// The same searches the way the inbox made them before the full-text index (LIKE '%term%' scans), side by side
    /// in the same run: count + first page of 25, newest first.
    /// </summary>
    private static async Task LikeBaselineAsync(BenchApp app, int organizationId, int iterations, CancellationToken ct)
    {
        (string Name, Func<DashboardDbContext, IQueryable<Conversation>> Query)[] baselines =
        [
            ("LIKE baseline: subjects (\"conversation 4242\")", db => db.Conversations.Where(c => EF.Functions.Like(c.Subject, "%conversation 4242%"))),
            ("LIKE baseline: message text (\"teal kayak\")", db => db.Conversations.Where(c =>
                db.Messages.Any(m => m.ConversationId == c.Id && EF.Functions.Like(m.Content, "%teal kayak%")))),
        ];
        foreach (var (name, query) in baselines)
        {
            var millis = new List<double>();
            var matches = 0;
            for (var i = 0; i < iterations + 1; i++)
            {
                var (scope, factory) = app.ServiceFor<IDbContextFactory<DashboardDbContext>>(organizationId);
                await using (scope!)
                {
                    await using var db = await factory.CreateDbContextAsync(ct);
                    var watch = Stopwatch.StartNew();
                    matches = await query(db).CountAsync(ct);
                    _ = await query(db).OrderByDescending(c => c.LastActivityAt).Take(PageSize).Select(c => c.Id).ToListAsync(ct);
                    if (i >= 1) millis.Add(watch.Elapsed.TotalMilliseconds);
                }
            }
            Console.WriteLine($"| {name} | {matches:N0} | {Stats.Percentile(millis, 50):N1} ms | {Stats.Percentile(millis, 95):N1} ms | {Stats.Percentile(millis, 99):N1} ms |");
        }
    }

    private static async Task<InboxPage> SearchAsync(BenchApp app, int organizationId, InboxFilter filter, int page, CancellationToken ct)
    {
        var (scope, inbox) = app.ServiceFor<InboxService>(organizationId);
        await using (scope!)
            return await inbox.SearchAsync(filter, page, PageSize, ct);
    }

    /// <summary>A real public ID and business from the middle of the data, so the search is not served by luck.</summary>
    private static async Task<(string PublicId, int BusinessId)> SampleAsync(BenchApp app, int organizationId)
    {
        var (scope, factory) = app.ServiceFor<IDbContextFactory<DashboardDbContext>>(organizationId);
        await using (scope!)
        {
            await using var db = await factory.CreateDbContextAsync();
            var count = await db.Conversations.CountAsync();
            var sample = await db.Conversations.OrderBy(c => c.Id).Skip(count / 2)
                .Select(c => new { c.PublicId, c.BusinessId }).FirstAsync();
            return (sample.PublicId, sample.BusinessId);
        }
    }
}
