using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Scripting;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Tests.Events;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Scripting;

/// <summary>Run-log retention: expired runs and finished jobs go, in every organization; recent and pending ones stay.</summary>
public sealed class ScriptRunRetentionTests : TwoTenantTest
{
    private async Task AddRunsAsync(TestData.Tenant tenant, int count, int daysAgo)
    {
        await using var scope = App.ScopeFor(tenant.OrganizationId);
        await using var db = scope.Db();
        for (var i = 0; i < count; i++)
            db.ScriptRuns.Add(new ScriptRun
            {
                FunctionName = $"{daysAgo} days", Kind = FunctionKind.SidebarWidget, Trigger = RunTrigger.Sidebar,
                Status = ScriptRunStatus.Ok, StartedAt = DateTime.UtcNow.AddDays(-daysAgo), ContextJson = "{}",
            });
        await db.SaveChangesAsync();
    }

    private async Task AddJobAsync(TestData.Tenant tenant, EventJobStatus status, int daysAgo)
    {
        var conversation = await App.CreateConversationAsync(tenant);
        var handler = await App.AddHandlerAsync(tenant, $"Handler {Guid.NewGuid():N}", "def handle_event(context):\n    return {}\n");
        await using var scope = App.ScopeFor(tenant.OrganizationId);
        await using var db = scope.Db();
        var at = DateTime.UtcNow.AddDays(-daysAgo);
        db.EventJobs.Add(new EventJob
        {
            FunctionId = handler.Id, ConversationId = conversation.Id, EventType = EventTypes.ConversationClosed, Status = status,
            CreatedAt = at, AvailableAt = at, CompletedAt = status is EventJobStatus.Succeeded or EventJobStatus.Failed ? at : null,
        });
        await db.SaveChangesAsync();
    }

    private Task<List<string>> RemainingRunsAsync(TestData.Tenant tenant) => Query(tenant, db => db.ScriptRuns.Select(r => r.FunctionName).Distinct().ToListAsync());

    private async Task<T> Query<T>(TestData.Tenant tenant, Func<Octocom.Dashboard.Data.DashboardDbContext, Task<T>> query)
    {
        await using var scope = App.ScopeFor(tenant.OrganizationId);
        await using var db = scope.Db();
        return await query(db);
    }

    [Fact]
    public async Task Sweep_DeletesExpiredRunsOfEveryOrganization_InBatches_AndKeepsRecentOnes()
    {
        await AddRunsAsync(Acme, ScriptRunRetention.BatchSize + 3, daysAgo: 31); // more than one batch
        await AddRunsAsync(Acme, 2, daysAgo: 29);
        await AddRunsAsync(Globex, 4, daysAgo: 45);
        await AddRunsAsync(Globex, 1, daysAgo: 1);

        var swept = await App.Services.GetRequiredService<ScriptRunRetention>().SweepAsync(CancellationToken.None);

        Assert.Equal(ScriptRunRetention.BatchSize + 3 + 4, swept.Runs);
        Assert.Equal(["29 days"], await RemainingRunsAsync(Acme));
        Assert.Equal(["1 days"], await RemainingRunsAsync(Globex));
    }

    [Fact]
    public async Task Sweep_DeletesFinishedJobsOnlyWhenExpired_NeverPendingOnes()
    {
        await AddJobAsync(Acme, EventJobStatus.Succeeded, daysAgo: 40);
        await AddJobAsync(Globex, EventJobStatus.Failed, daysAgo: 40);
        await AddJobAsync(Acme, EventJobStatus.Pending, daysAgo: 40);   // e.g. the dispatcher was off: still owed a run
        await AddJobAsync(Acme, EventJobStatus.Succeeded, daysAgo: 5);

        var swept = await App.Services.GetRequiredService<ScriptRunRetention>().SweepAsync(CancellationToken.None);

        Assert.Equal(2, swept.Jobs);
        var left = await Query(Acme, db => db.EventJobs.OrderBy(j => j.Id).Select(j => j.Status).ToListAsync());
        Assert.Equal([EventJobStatus.Pending, EventJobStatus.Succeeded], left);
        Assert.Empty(await Query(Globex, db => db.EventJobs.ToListAsync()));
    }

    [Fact]
    public async Task RetentionZero_KeepsEverything()
    {
        await using var app = await TestApp.CreateAsync(settings: new Dictionary<string, string?> { ["Scripting:RunRetention"] = "00:00:00" });
        var tenant = await app.CreateTenantAsync();
        await using (var scope = app.ScopeFor(tenant.OrganizationId))
        await using (var db = scope.Db())
        {
            db.ScriptRuns.Add(new ScriptRun
            {
                FunctionName = "ancient", Kind = FunctionKind.SidebarWidget, Trigger = RunTrigger.Sidebar, Status = ScriptRunStatus.Ok,
                StartedAt = DateTime.UtcNow.AddYears(-3),
            });
            await db.SaveChangesAsync();
        }

        Assert.Equal(new ScriptRunRetention.SweepResult(0, 0), await app.Services.GetRequiredService<ScriptRunRetention>().SweepAsync(CancellationToken.None));
    }
}
