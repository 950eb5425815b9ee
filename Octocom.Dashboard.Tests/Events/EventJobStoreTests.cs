using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Events;

/// <summary>Leases on real SQLite: atomic between dispatchers, honouring live leases, recovering expired ones.</summary>
public sealed class EventJobStoreTests : TwoTenantTest
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private EventJobStore Store => App.Services.GetRequiredService<EventJobStore>();

    private async Task<List<long>> QueueAsync(int count, Action<EventJob>? shape = null, TestData.Tenant? tenant = null)
    {
        tenant ??= Acme;
        var handler = await App.AddHandlerAsync(tenant, $"Handler {Guid.NewGuid():N}", "def handle_event(context):\n    return {}\n");
        var conversation = await App.CreateConversationAsync(tenant);
        await using var scope = App.ScopeFor(tenant.OrganizationId);
        await using var db = scope.Db();
        var jobs = Enumerable.Range(0, count).Select(i => new EventJob
        {
            FunctionId = handler.Id, ConversationId = conversation.Id, EventType = "conversation_closed",
            AvailableAt = DateTime.UtcNow.AddSeconds(-1).AddTicks(i),
        }).ToList();
        foreach (var job in jobs) shape?.Invoke(job);
        db.EventJobs.AddRange(jobs);
        await db.SaveChangesAsync();
        return jobs.Select(j => j.Id).ToList();
    }

    private Task<EventJob> JobAsync(long id, TestData.Tenant? tenant = null) => App.JobAsync(tenant ?? Acme, id);

    [Fact]
    public async Task Lease_SeveralDispatchersAtOnce_NeverLeaseTheSameJob()
    {
        var ids = await QueueAsync(200);
        var owners = new[] { "a", "b", "c" };
        var leasedBy = owners.ToDictionary(o => o, _ => new List<long>());
        using var start = new Barrier(owners.Length);

        // Each dispatcher leases small batches in a loop until nothing is left, all starting at the same moment.
        await Task.WhenAll(owners.Select(owner => Task.Run(async () =>
        {
            start.SignalAndWait();
            while (await Store.LeaseAsync(owner, 3, Lease, CancellationToken.None) is { Count: > 0 } batch)
                leasedBy[owner].AddRange(batch.Select(l => l.Job.Id));
        })));

        var all = leasedBy.Values.SelectMany(v => v).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(ids.Order(), all.Order());
        var stored = await App.QueryAsync(Acme.OrganizationId, db => db.EventJobs.AsNoTracking().ToListAsync());
        Assert.All(stored, j =>
        {
            Assert.Equal((EventJobStatus.Running, 1), (j.Status, j.Attempts));
            Assert.Contains(j.Id, leasedBy[j.LeaseOwner!]);
        });
    }

    [Fact]
    public async Task Lease_JobsOfEveryOrganization_AreLeased()
    {
        var other = Globex;
        var mine = await QueueAsync(1);
        var theirs = await QueueAsync(1, tenant: other);

        var leased = await Store.LeaseAsync("a", 10, Lease, CancellationToken.None);

        Assert.Equal(mine.Concat(theirs).Order(), leased.Select(l => l.Job.Id).Order());
        Assert.Equal([Acme.OrganizationId, other.OrganizationId], leased.Select(l => l.Job.OrganizationId).Order());
    }

    [Fact]
    public async Task Lease_NotYetAvailableOrLiveLease_IsNotLeased()
    {
        var later = await QueueAsync(1, j => j.AvailableAt = DateTime.UtcNow.AddMinutes(5));
        var held = await QueueAsync(1, j => { j.Status = EventJobStatus.Running; j.Attempts = 1; j.LeaseOwner = "alive"; j.LeasedUntil = DateTime.UtcNow.AddMinutes(1); });
        var done = await QueueAsync(1, j => { j.Status = EventJobStatus.Succeeded; j.Attempts = 1; });

        Assert.Empty(await Store.LeaseAsync("b", 10, Lease, CancellationToken.None));
        Assert.Equal(EventJobStatus.Pending, (await JobAsync(later[0])).Status);
        Assert.Equal("alive", (await JobAsync(held[0])).LeaseOwner);
        Assert.Equal(EventJobStatus.Succeeded, (await JobAsync(done[0])).Status);
    }

    [Fact]
    public async Task Lease_ExpiredLeaseOfACrashedDispatcher_IsLeasedAgainAsRecovered()
    {
        var crashed = await QueueAsync(1, j => { j.Status = EventJobStatus.Running; j.Attempts = 1; j.LeaseOwner = "crashed"; j.LeasedUntil = DateTime.UtcNow.AddSeconds(-1); });
        var fresh = await QueueAsync(1);

        var leased = await Store.LeaseAsync("b", 10, Lease, CancellationToken.None);

        Assert.Equal(2, leased.Count);
        var recovered = leased.Single(l => l.Job.Id == crashed[0]);
        Assert.True(recovered.Recovered);
        Assert.Equal((2, "b"), (recovered.Job.Attempts, recovered.Job.LeaseOwner));
        Assert.False(leased.Single(l => l.Job.Id == fresh[0]).Recovered);
    }

    [Fact]
    public async Task Finish_AfterTheLeaseWasTakenOver_ChangesNothing()
    {
        await QueueAsync(1);
        var mine = Assert.Single(await Store.LeaseAsync("a", 1, TimeSpan.FromMilliseconds(1), CancellationToken.None)).Job;
        await Task.Delay(20); // let the 1 ms lease expire, as if "a" had stalled
        var theirs = Assert.Single(await Store.LeaseAsync("b", 1, Lease, CancellationToken.None)).Job;

        Assert.False(await Store.FinishAsync(mine, "a", new JobDecision.Fail("stale")));
        Assert.True(await Store.FinishAsync(theirs, "b", new JobDecision.Succeed()));

        var stored = await JobAsync(mine.Id);
        Assert.Equal((EventJobStatus.Succeeded, 2, null), (stored.Status, stored.Attempts, stored.LastError));
        Assert.NotNull(stored.CompletedAt);
        Assert.Null(stored.LeaseOwner);
    }

    [Fact]
    public async Task Finish_RetryAndRelease_ReturnTheJobToPending()
    {
        await QueueAsync(2);
        var leased = await Store.LeaseAsync("a", 2, Lease, CancellationToken.None);
        var retryAt = DateTime.UtcNow.AddMinutes(3);

        Assert.True(await Store.FinishAsync(leased[0].Job, "a", new JobDecision.Retry(retryAt, "Timeout: too slow")));
        Assert.True(await Store.FinishAsync(leased[1].Job, "a", new JobDecision.Release()));

        var retried = await JobAsync(leased[0].Job.Id);
        Assert.Equal((EventJobStatus.Pending, 1, "Timeout: too slow", null), (retried.Status, retried.Attempts, retried.LastError, retried.LeaseOwner));
        Assert.Equal(retryAt, retried.AvailableAt, TimeSpan.FromMilliseconds(1));
        var released = await JobAsync(leased[1].Job.Id);
        Assert.Equal((EventJobStatus.Pending, 0, null), (released.Status, released.Attempts, released.LeaseOwner));
        Assert.True(released.AvailableAt <= DateTime.UtcNow);
    }

    [Fact]
    public async Task Renew_ExtendsOnlyTheOwnersLeases()
    {
        await QueueAsync(2);
        var a = Assert.Single(await Store.LeaseAsync("a", 1, TimeSpan.FromSeconds(30), CancellationToken.None)).Job;
        var b = Assert.Single(await Store.LeaseAsync("b", 1, TimeSpan.FromSeconds(30), CancellationToken.None)).Job;

        Assert.Equal(1, await Store.RenewAsync("a", [a.Id, b.Id], TimeSpan.FromHours(1), CancellationToken.None));

        Assert.True((await JobAsync(a.Id)).LeasedUntil > DateTime.UtcNow.AddMinutes(50));
        Assert.True((await JobAsync(b.Id)).LeasedUntil < DateTime.UtcNow.AddMinutes(1));
    }
}
