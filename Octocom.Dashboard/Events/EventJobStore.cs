using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.Events;

/// <summary>
/// The dispatcher's database operations on the outbox: lease due jobs, renew leases, and record each attempt's end.
/// </summary>
/// <remarks>
/// <para><b>Tenancy.</b> This is a documented system operation: leasing must see every organization's due jobs, so it
/// uses <c>IgnoreQueryFilters()</c> and only touches <see cref="EventJob"/> bookkeeping columns. Each job then runs
/// in a scope for its own organization (<c>TenantScopes.Create(job.OrganizationId)</c>).</para>
/// <para><b>Atomic leases.</b> A job is due when it is <c>Pending</c> with <c>AvailableAt &lt;= now</c>, or
/// <c>Running</c> with an expired lease (its dispatcher crashed or was killed). The candidates are read and leased
/// inside the dialect's lease transaction (<see cref="IDatabaseDialect.BeginLeaseAsync"/>; SQLite: <c>BEGIN IMMEDIATE</c>,
/// so no other connection can write in between), the candidate reads go through
/// <see cref="IDatabaseDialect.LockForLease{T}"/> (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>, so instances skip each
/// other's candidates instead of waiting on them), and the UPDATE repeats the due condition — two dispatchers never
/// hold the same lease. Every later write (renew, complete, reschedule, release) is conditional on
/// <c>LeaseOwner</c>, <c>Status = Running</c> and the attempt number, so a dispatcher that lost its lease cannot
/// overwrite the new holder's work.</para>
/// </remarks>
public sealed class EventJobStore(IServiceScopeFactory scopes, TimeProvider clock, IDatabaseDialect dialect)
{
    /// <summary>A context in a scope without a tenant (the dispatcher is a singleton; the DbContext factory is scoped).</summary>
    private static async Task<DashboardDbContext> CreateDbContextAsync(AsyncServiceScope scope, CancellationToken ct) =>
        await scope.ServiceProvider.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync(ct);

    /// <summary>Leases up to <paramref name="max"/> due jobs for <paramref name="owner"/>: Status Running, Attempts + 1, LeasedUntil = now + lease.</summary>
    public async Task<IReadOnlyList<LeasedJob>> LeaseAsync(string owner, int max, TimeSpan lease, CancellationToken ct)
    {
        if (max <= 0) return [];
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await CreateDbContextAsync(scope, ct);
        var jobs = db.EventJobs.IgnoreQueryFilters();
        var now = clock.GetUtcNow().UtcDateTime;
        // A plain read first: an idle poll must not take the database's write lock.
        if (!await jobs.AnyAsync(j => (j.Status == EventJobStatus.Pending && j.AvailableAt <= now)
                                      || (j.Status == EventJobStatus.Running && j.LeasedUntil < now), ct))
            return [];

        await using var tx = await dialect.BeginLeaseAsync(db, ct);
        now = clock.GetUtcNow().UtcDateTime;

        // Abandoned leases first (few: at most the crashed instances' concurrency), then the oldest due jobs
        // (the (Status, AvailableAt) index serves this with its LIMIT).
        var ids = await dialect.LockForLease(jobs.Where(j => j.Status == EventJobStatus.Running && j.LeasedUntil < now)
            .OrderBy(j => j.LeasedUntil).Select(j => j.Id).Take(max)).ToListAsync(ct);
        var recovered = ids.ToHashSet();
        if (ids.Count < max)
            ids.AddRange(await dialect.LockForLease(jobs.Where(j => j.Status == EventJobStatus.Pending && j.AvailableAt <= now)
                .OrderBy(j => j.AvailableAt).ThenBy(j => j.Id).Select(j => j.Id).Take(max - ids.Count)).ToListAsync(ct));
        if (ids.Count == 0) return [];

        var until = now + lease;
        await jobs.Where(j => ids.Contains(j.Id)
                              && ((j.Status == EventJobStatus.Pending && j.AvailableAt <= now)
                                  || (j.Status == EventJobStatus.Running && j.LeasedUntil < now)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, EventJobStatus.Running)
                .SetProperty(j => j.LeaseOwner, owner)
                .SetProperty(j => j.LeasedUntil, until)
                .SetProperty(j => j.Attempts, j => j.Attempts + 1), ct);
        var leased = await jobs.AsNoTracking()
            .Where(j => ids.Contains(j.Id) && j.LeaseOwner == owner && j.LeasedUntil == until && j.Status == EventJobStatus.Running)
            .OrderBy(j => j.AvailableAt).ThenBy(j => j.Id)
            .ToListAsync(ct);
        await tx.CommitAsync(ct);
        return leased.Select(j => new LeasedJob(j, recovered.Contains(j.Id))).ToList();
    }

    /// <summary>Extends the leases <paramref name="owner"/> still holds on <paramref name="jobIds"/>; returns how many it still holds.</summary>
    public async Task<int> RenewAsync(string owner, IReadOnlyCollection<long> jobIds, TimeSpan lease, CancellationToken ct)
    {
        if (jobIds.Count == 0) return 0;
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await CreateDbContextAsync(scope, ct);
        var until = clock.GetUtcNow().UtcDateTime + lease;
        return await db.EventJobs.IgnoreQueryFilters()
            .Where(j => jobIds.Contains(j.Id) && j.LeaseOwner == owner && j.Status == EventJobStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeasedUntil, until), ct);
    }

    /// <summary>Records the end of the attempt <paramref name="job"/> was leased for; false when the lease was lost meanwhile.</summary>
    public async Task<bool> FinishAsync(EventJob job, string owner, JobDecision decision, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await CreateDbContextAsync(scope, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var held = db.EventJobs.IgnoreQueryFilters().Where(j =>
            j.Id == job.Id && j.LeaseOwner == owner && j.Status == EventJobStatus.Running && j.Attempts == job.Attempts);
        var rows = decision switch
        {
            JobDecision.Succeed => await held.ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, EventJobStatus.Succeeded)
                .SetProperty(j => j.CompletedAt, now)
                .SetProperty(j => j.LastError, (string?)null)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeasedUntil, (DateTime?)null), ct),
            JobDecision.Fail fail => await held.ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, EventJobStatus.Failed)
                .SetProperty(j => j.CompletedAt, now)
                .SetProperty(j => j.LastError, Truncate(fail.Error))
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeasedUntil, (DateTime?)null), ct),
            JobDecision.Retry retry => await held.ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, EventJobStatus.Pending)
                .SetProperty(j => j.AvailableAt, retry.At)
                .SetProperty(j => j.LastError, Truncate(retry.Error))
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeasedUntil, (DateTime?)null), ct),
            JobDecision.Release => await held.ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, EventJobStatus.Pending)
                .SetProperty(j => j.AvailableAt, now)
                .SetProperty(j => j.Attempts, j => j.Attempts - 1)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeasedUntil, (DateTime?)null), ct),
            _ => throw new ArgumentOutOfRangeException(nameof(decision)),
        };
        return rows == 1;
    }

    public const int MaxErrorLength = 4000;

    private static string Truncate(string error) => error.Length <= MaxErrorLength ? error : error[..MaxErrorLength] + "…";
}

/// <param name="Recovered">The job was Running under an expired lease: its previous attempt was interrupted (crash, kill -9).</param>
public sealed record LeasedJob(EventJob Job, bool Recovered);
