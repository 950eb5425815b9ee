using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Audit;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Scripting;

namespace Octocom.Dashboard.Events;

/// <summary>Filters of the run log. <paramref name="Conversation"/> is a public ID (or GUID).</summary>
public sealed record RunFilter(
    int? FunctionId = null,
    FunctionKind? Kind = null,
    ScriptRunStatus? Status = null,
    RunTrigger? Trigger = null,
    string? Conversation = null,
    long? EventJobId = null);

/// <summary>One line of the run log.</summary>
public sealed record RunRow(
    long Id, DateTime StartedAt, string FunctionName, int? FunctionId, FunctionKind Kind, RunTrigger Trigger,
    ScriptRunStatus Status, double DurationMs, int Attempt, long? EventJobId, Guid? ConversationId,
    string? ConversationPublicId, string? ErrorType, string? ErrorMessage);

/// <param name="Total">Matching runs, counted up to <see cref="RunLogService.CountLimit"/> (<paramref name="TotalIsCapped"/>).</param>
/// <param name="Problem">Why nothing matched when a filter could not be applied (unknown conversation).</param>
public sealed record RunPage(IReadOnlyList<RunRow> Rows, int Total, bool TotalIsCapped, string? Problem = null);

/// <summary>An outbox job as the run log and the Automation panel show it.</summary>
public sealed record EventJobView(
    long Id, int FunctionId, string HandlerName, bool HandlerActive, string EventType, EventJobStatus Status, int Attempts,
    DateTime CreatedAt, DateTime AvailableAt, DateTime? CompletedAt, string? LastError, long? LatestRunId,
    ScriptRunStatus? LatestRunStatus)
{
    /// <summary>Only failed jobs can be re-run, and only while their handler is active.</summary>
    public bool CanRerun => Status == EventJobStatus.Failed && HandlerActive;
}

public sealed record RunDetails(ScriptRun Run, string? ConversationPublicId, EventJobView? Job, IReadOnlyList<RunRow> JobRuns);

public sealed record FunctionOption(int Id, string Name, FunctionKind Kind);

public enum RerunResult { Queued, NotFound, NotFailed, HandlerInactive }

/// <summary>
/// The shared run log of every script run (widgets, handlers, actions, tests, CLI) and the outbox jobs behind
/// handler runs, for the current organization (tenant filters apply: another organization's IDs are not found).
/// </summary>
public sealed class RunLogService(IDbContextFactory<DashboardDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    /// <summary>The run log counts matches up to this many (the table grows with every widget view).</summary>
    public const int CountLimit = 10_000;

    /// <summary>Audit trail entry of a re-run (the audit log accepts feature-specific names).</summary>

    public async Task<RunPage> SearchAsync(RunFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var runs = db.ScriptRuns.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Conversation))
        {
            var conversationId = await ConversationReader.ResolveIdAsync(db, filter.Conversation, ct);
            if (conversationId is null)
                return new RunPage([], 0, false, $"There is no conversation '{filter.Conversation.Trim()}' in your organization.");
            runs = runs.Where(r => r.ConversationId == conversationId);
        }
        if (filter.FunctionId is { } functionId) runs = runs.Where(r => r.FunctionId == functionId);
        if (filter.Kind is { } kind) runs = runs.Where(r => r.Kind == kind);
        if (filter.Status is { } status) runs = runs.Where(r => r.Status == status);
        if (filter.Trigger is { } trigger) runs = runs.Where(r => r.Trigger == trigger);
        if (filter.EventJobId is { } jobId) runs = runs.Where(r => r.EventJobId == jobId);

        var counted = await runs.Take(CountLimit + 1).CountAsync(ct);
        var rows = await Rows(db, runs.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
            .Skip(Math.Max(page, 0) * pageSize).Take(pageSize)).ToListAsync(ct);
        return new RunPage(rows, Math.Min(counted, CountLimit), counted > CountLimit);
    }

    public async Task<RunDetails?> GetAsync(long runId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.ScriptRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null) return null;
        var publicId = run.ConversationId is { } cid
            ? await db.Conversations.Where(c => c.Id == cid).Select(c => c.PublicId).FirstOrDefaultAsync(ct)
            : null;
        if (run.EventJobId is not { } jobId) return new RunDetails(run, publicId, null, []);
        var job = (await Jobs(db, db.EventJobs.Where(j => j.Id == jobId)).ToListAsync(ct)).FirstOrDefault();
        var jobRuns = await Rows(db, db.ScriptRuns.AsNoTracking().Where(r => r.EventJobId == jobId)
            .OrderBy(r => r.StartedAt).ThenBy(r => r.Id)).ToListAsync(ct);
        return new RunDetails(run, publicId, job, jobRuns);
    }

    /// <summary>The conversation's handler jobs, newest first (the Automation panel).</summary>
    public async Task<IReadOnlyList<EventJobView>> JobsForConversationAsync(Guid conversationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Jobs(db, db.EventJobs.Where(j => j.ConversationId == conversationId)).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<FunctionOption>> FunctionsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PythonFunctions.AsNoTracking().OrderBy(f => f.Kind).ThenBy(f => f.Name)
            .Select(f => new FunctionOption(f.Id, f.Name, f.Kind)).ToListAsync(ct);
    }

    /// <summary>
    /// Re-runs a failed job: the same job goes back to Pending and the dispatcher runs it once more with the handler's
    /// current code (the next attempt number; a transient failure is retried only while attempts remain). The job keeps
    /// its history: every attempt's run stays in the log. Recorded in the audit trail.
    /// </summary>
    public async Task<RerunResult> RerunAsync(long jobId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await db.EventJobs.FirstOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is null) return RerunResult.NotFound;
        if (job.Status != EventJobStatus.Failed) return RerunResult.NotFailed;
        var handler = await db.PythonFunctions.AsNoTracking().FirstOrDefaultAsync(f => f.Id == job.FunctionId, ct);
        if (handler is not { IsActive: true }) return RerunResult.HandlerInactive;
        var publicId = await db.Conversations.Where(c => c.Id == job.ConversationId).Select(c => c.PublicId).FirstOrDefaultAsync(ct);

        job.Status = EventJobStatus.Pending;
        job.AvailableAt = clock.GetUtcNow().UtcDateTime;
        job.CompletedAt = null;
        job.LastError = null;
        audit.Stage(db, AuditActions.Rerun, AuditEntityTypes.EventJob, job.Id.ToString(),
            $"Re-ran event handler '{handler.Name}' ({job.EventType}) for conversation {publicId}");
        await db.SaveChangesAsync(ct); // committing a Pending job wakes the dispatcher (EventJobCommitInterceptor)
        return RerunResult.Queued;
    }

    private static IQueryable<RunRow> Rows(DashboardDbContext db, IQueryable<ScriptRun> runs) =>
        from r in runs
        join c in db.Conversations on r.ConversationId equals c.Id into conversations
        from c in conversations.DefaultIfEmpty()
        select new RunRow(r.Id, r.StartedAt, r.FunctionName, r.FunctionId, r.Kind, r.Trigger, r.Status, r.DurationMs, r.Attempt,
            r.EventJobId, r.ConversationId, c == null ? null : c.PublicId, r.ErrorType, r.ErrorMessage);

    private static IQueryable<EventJobView> Jobs(DashboardDbContext db, IQueryable<EventJob> jobs) =>
        from j in jobs
        join f in db.PythonFunctions on j.FunctionId equals f.Id
        orderby j.CreatedAt descending, j.Id descending
        let latest = db.ScriptRuns.Where(r => r.EventJobId == j.Id).OrderByDescending(r => r.Id).FirstOrDefault()
        select new EventJobView(j.Id, j.FunctionId, f.Name, f.IsActive, j.EventType, j.Status, j.Attempts, j.CreatedAt, j.AvailableAt,
            j.CompletedAt, j.LastError, latest == null ? null : latest.Id, latest == null ? null : latest.Status);
}
