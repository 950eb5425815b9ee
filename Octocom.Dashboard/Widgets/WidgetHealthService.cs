using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Scripting;

namespace Octocom.Dashboard.Widgets;

/// <summary>How one sidebar widget has been doing for agents (sidebar runs only; studio test runs are not counted).</summary>
/// <param name="LastError">The last run's error, first line only (the run log at <c>/runs</c> has the rest).</param>
public sealed record WidgetHealth(
    int FunctionId,
    string Name,
    bool IsActive,
    int Version,
    ScriptRunStatus? LastStatus,
    DateTime? LastRunAt,
    long? LastRunId,
    string? LastError,
    int RunsLast24Hours,
    int FailuresLast24Hours)
{
    /// <summary>The last sidebar run failed (error, timeout, killed, invalid result, engine unavailable).</summary>
    public bool IsFailing => LastStatus is { } status && WidgetHealthService.IsFailure(status);
}

/// <summary>
/// Which sidebar widget is failing for agents: per widget, the last sidebar run's status and error and the failures
/// in the last 24 hours. For the script studio's widget list; the runs themselves are in the run log.
/// </summary>
public sealed class WidgetHealthService(IDbContextFactory<DashboardDbContext> dbFactory, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    private static readonly ScriptRunStatus[] Failures =
        [ScriptRunStatus.Error, ScriptRunStatus.Timeout, ScriptRunStatus.Killed, ScriptRunStatus.Invalid, ScriptRunStatus.Unavailable];

    /// <summary>Cancelled runs (the agent left the conversation) are not failures.</summary>
    public static bool IsFailure(ScriptRunStatus status) => Failures.Contains(status);

    /// <summary>Every sidebar widget of the organization (active or not), in display order.</summary>
    public async Task<IReadOnlyList<WidgetHealth>> GetAllAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var widgets = await db.PythonFunctions.AsNoTracking()
            .Where(f => f.Kind == FunctionKind.SidebarWidget)
            .OrderBy(f => f.SortOrder).ThenBy(f => f.Name).ThenBy(f => f.Id)
            .Select(f => new { f.Id, f.Name, f.IsActive, f.Version })
            .ToListAsync(ct);
        if (widgets.Count == 0) return [];

        var since = clock.GetUtcNow().UtcDateTime - Window;
        var sidebarRuns = db.ScriptRuns.AsNoTracking()
            .Where(r => r.Kind == FunctionKind.SidebarWidget && r.Trigger == RunTrigger.Sidebar && r.FunctionId != null);
        var counts = await sidebarRuns
            .Where(r => r.StartedAt >= since)
            .GroupBy(r => r.FunctionId!.Value)
            .Select(g => new { FunctionId = g.Key, Runs = g.Count(), Failures = g.Count(r => Failures.Contains(r.Status)) })
            .ToDictionaryAsync(c => c.FunctionId, ct);

        var health = new List<WidgetHealth>(widgets.Count);
        foreach (var widget in widgets)
        {
            // One indexed lookup per widget (FunctionId, StartedAt): organizations have a handful of widgets.
            var last = await sidebarRuns
                .Where(r => r.FunctionId == widget.Id)
                .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
                .Select(r => new { r.Id, r.Status, r.StartedAt, r.ErrorType, r.ErrorMessage })
                .FirstOrDefaultAsync(ct);
            counts.TryGetValue(widget.Id, out var count);
            health.Add(new WidgetHealth(widget.Id, widget.Name, widget.IsActive, widget.Version,
                last?.Status, last?.StartedAt, last?.Id, last is null ? null : Describe(last.Status, last.ErrorType, last.ErrorMessage),
                count?.Runs ?? 0, count?.Failures ?? 0));
        }
        return health;
    }

    /// <summary>One widget, or null when the organization has no sidebar widget with that ID.</summary>
    public async Task<WidgetHealth?> GetAsync(int functionId, CancellationToken ct = default) =>
        (await GetAllAsync(ct)).FirstOrDefault(h => h.FunctionId == functionId);

    private static string? Describe(ScriptRunStatus status, string? type, string? message)
    {
        if (!IsFailure(status)) return null;
        var firstLine = message?.Split('\n', 2)[0].Trim() ?? "";
        return (type, firstLine) switch
        {
            ({ Length: > 0 }, { Length: > 0 }) => $"{type}: {firstLine}",
            ({ Length: > 0 }, _) => type,
            (_, { Length: > 0 }) => firstLine,
            _ => status.ToString(),
        };
    }
}
