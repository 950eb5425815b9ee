using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Audit;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Scripting.Functions;

/// <summary>
/// Creating, editing, activating, reordering, deleting and versioning the organization's Python functions (all four
/// kinds). Every save is validated (<see cref="FunctionDraftValidator"/>), increments <see cref="PythonFunction.Version"/>
/// and stores a <see cref="PythonFunctionVersion"/> snapshot, so the history is complete; restoring a version saves its
/// content as a new version. Every change is written to the audit trail in the same transaction.
/// Scoped: it acts for the scope's organization (other organizations' functions are "not found").
/// </summary>
public sealed class FunctionService(
    IDbContextFactory<DashboardDbContext> dbFactory,
    IValidator<FunctionDraft> validator,
    AuditLog audit,
    TenantContext tenant,
    TimeProvider clock)
{
    /// <summary>Every function of the organization, by kind and display order, with its last run.</summary>
    public async Task<IReadOnlyList<FunctionSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.PythonFunctions.AsNoTracking()
            .Select(f => new
            {
                f.Id, f.Kind, f.Name, f.Description, f.IsActive, f.SortOrder, f.EventType, f.ArgumentsJson, f.Version, f.UpdatedAt, f.UpdatedBy,
                LastRun = db.ScriptRuns.Where(r => r.FunctionId == f.Id).OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
                    .Select(r => new LastRunInfo(r.Status, r.StartedAt, r.Trigger, r.FunctionVersion)).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return rows
            .OrderBy(r => r.Kind).ThenBy(r => r.SortOrder).ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
            .Select(r => new FunctionSummary(r.Id, r.Kind, r.Name, r.Description, r.IsActive, r.SortOrder, r.EventType,
                ArgumentDefinitions.Parse(r.ArgumentsJson).Count, r.Version, r.UpdatedAt, r.UpdatedBy, r.LastRun))
            .ToList();
    }

    public async Task<PythonFunction?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PythonFunctions.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct);
    }

    /// <summary>Validates without saving (the editor shows problems before the admin saves).</summary>
    public Task<FluentValidation.Results.ValidationResult> ValidateAsync(FunctionDraft draft, CancellationToken ct = default) =>
        validator.ValidateAsync(Normalized(draft), ct);

    public async Task<FunctionSaveResult> CreateAsync(FunctionDraft draft, CancellationToken ct = default)
    {
        draft = Normalized(draft);
        draft.FunctionId = null;
        var validation = await validator.ValidateAsync(draft, ct);
        if (HasErrors(validation)) return FunctionSaveResult.Invalid(validation);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        var sortOrder = await db.PythonFunctions.Where(f => f.Kind == draft.Kind).Select(f => (int?)f.SortOrder).MaxAsync(ct) ?? -1;
        var function = new PythonFunction
        {
            Kind = draft.Kind,
            Name = draft.Name,
            SortOrder = sortOrder + 1,
            Version = 1,
            CreatedAt = now,
        };
        Apply(function, draft, now);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.PythonFunctions.Add(function);
        if (!await TrySaveAsync(db, ct)) return NameTaken(draft);
        db.PythonFunctionVersions.Add(Snapshot(function));
        audit.Stage(db, AuditActions.Created, AuditEntityTypes.PythonFunction, function.Id.ToString(),
            $"Created {Describe(function)}{(function.IsActive ? "" : " (inactive)")}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Saved(function, validation);
    }

    /// <summary>
    /// Saves <paramref name="draft"/> as the next version of function <see cref="FunctionDraft.FunctionId"/>.
    /// <paramref name="expectedVersion"/>: the version the editor loaded; if someone saved since, nothing is stored and
    /// <see cref="FunctionSaveResult.Conflict"/> says who (pass null to overwrite anyway).
    /// </summary>
    public Task<FunctionSaveResult> UpdateAsync(FunctionDraft draft, int? expectedVersion, CancellationToken ct = default) =>
        SaveVersionAsync(Normalized(draft), expectedVersion, AuditActions.Updated, null, ct);

    /// <summary>Saves the content of an earlier version (code, name, event type, arguments) as a new version.</summary>
    public async Task<FunctionSaveResult> RestoreAsync(int functionId, int version, int? expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var function = await db.PythonFunctions.AsNoTracking().FirstOrDefaultAsync(f => f.Id == functionId, ct);
        var snapshot = await db.PythonFunctionVersions.AsNoTracking().FirstOrDefaultAsync(v => v.FunctionId == functionId && v.Version == version, ct);
        if (function is null || snapshot is null) return new FunctionSaveResult { NotFound = true };
        var draft = FunctionDraft.From(function);
        draft.Name = snapshot.Name;
        draft.Code = snapshot.Code;
        draft.EventType = snapshot.EventType;
        draft.Arguments = ArgumentDefinitions.Parse(snapshot.ArgumentsJson).ToList();
        return await SaveVersionAsync(Normalized(draft), expectedVersion, AuditActions.Restored, version, ct);
    }

    private async Task<FunctionSaveResult> SaveVersionAsync(FunctionDraft draft, int? expectedVersion, string action, int? restoredFrom, CancellationToken ct)
    {
        if (draft.FunctionId is not { } id) throw new ArgumentException("The draft has no FunctionId; use CreateAsync.", nameof(draft));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var function = await db.PythonFunctions.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (function is null) return new FunctionSaveResult { NotFound = true };
        if (expectedVersion is { } expected && expected != function.Version)
            return new FunctionSaveResult { Conflict = new SaveConflict(function.Version, function.UpdatedBy, function.UpdatedAt) };
        draft.Kind = function.Kind; // a function never changes kind

        var validation = await validator.ValidateAsync(draft, ct);
        if (HasErrors(validation)) return FunctionSaveResult.Invalid(validation);

        var wasActive = function.IsActive;
        var previousVersion = function.Version;
        Apply(function, draft, Now);
        function.Version = previousVersion + 1;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.PythonFunctionVersions.Add(Snapshot(function));
        var summary = restoredFrom is { } from
            ? $"Restored {Describe(function)} to the content of version {from}"
            : $"Saved {Describe(function)}";
        if (wasActive != function.IsActive) summary += function.IsActive ? "; activated" : "; deactivated";
        audit.Stage(db, action, AuditEntityTypes.PythonFunction, function.Id.ToString(), summary);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another save of the same version (unique FunctionId+Version) or a concurrent rename to the same name.
            await tx.RollbackAsync(CancellationToken.None);
            await using var fresh = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var current = await fresh.PythonFunctions.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, CancellationToken.None);
            if (current is not null && current.Version != previousVersion)
                return new FunctionSaveResult { Conflict = new SaveConflict(current.Version, current.UpdatedBy, current.UpdatedAt) };
            return NameTaken(draft);
        }
        await tx.CommitAsync(ct);
        return Saved(function, validation);
    }

    public async Task<bool> SetActiveAsync(int id, bool active, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var function = await db.PythonFunctions.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (function is null) return false;
        if (function.IsActive == active) return true;
        function.IsActive = active;
        function.UpdatedAt = Now;
        function.UpdatedBy = tenant.UserName;
        audit.Stage(db, active ? AuditActions.Activated : AuditActions.Deactivated, AuditEntityTypes.PythonFunction, function.Id.ToString(),
            $"{(active ? "Activated" : "Deactivated")} {Describe(function)}");
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// Sets the display order of one kind's functions (sidebar widgets appear in this order). Functions of the kind not
    /// listed keep their relative order after the listed ones; ids of other kinds or organizations are ignored.
    /// </summary>
    public async Task<bool> ReorderAsync(FunctionKind kind, IReadOnlyList<int> orderedIds, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var functions = await db.PythonFunctions.Where(f => f.Kind == kind).ToListAsync(ct);
        var position = orderedIds.Select((id, index) => (id, index)).GroupBy(p => p.id).ToDictionary(g => g.Key, g => g.First().index);
        var ordered = functions
            .OrderBy(f => position.TryGetValue(f.Id, out var p) ? p : int.MaxValue)
            .ThenBy(f => f.SortOrder).ThenBy(f => f.Id)
            .ToList();
        var changed = false;
        for (var i = 0; i < ordered.Count; i++)
        {
            if (ordered[i].SortOrder == i) continue;
            ordered[i].SortOrder = i;
            changed = true;
        }
        if (!changed) return false;
        audit.Stage(db, "reordered", AuditEntityTypes.PythonFunction, kind.Slug(),
            $"Reordered {kind.DisplayName().ToLowerInvariant()}s: {string.Join(", ", ordered.Select(f => f.Name))}");
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Moves a function up (negative) or down (positive) among its kind.</summary>
    public async Task<bool> MoveAsync(int id, int offset, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var function = await db.PythonFunctions.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct);
        if (function is null) return false;
        var order = await db.PythonFunctions.Where(f => f.Kind == function.Kind)
            .OrderBy(f => f.SortOrder).ThenBy(f => f.Id).Select(f => f.Id).ToListAsync(ct);
        var from = order.IndexOf(id);
        var to = Math.Clamp(from + offset, 0, order.Count - 1);
        if (from == to) return false;
        order.RemoveAt(from);
        order.Insert(to, id);
        return await ReorderAsync(function.Kind, order, ct);
    }

    /// <summary>Deletes the function and its versions; its past runs stay in the run log (without the link).</summary>
    public async Task<bool> DeleteAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var function = await db.PythonFunctions.FirstOrDefaultAsync(f => f.Id == id, ct);
        if (function is null) return false;
        db.PythonFunctions.Remove(function);
        audit.Stage(db, AuditActions.Deleted, AuditEntityTypes.PythonFunction, function.Id.ToString(),
            $"Deleted {Describe(function)} (version {function.Version})");
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Newest first.</summary>
    public async Task<IReadOnlyList<PythonFunctionVersion>> ListVersionsAsync(int functionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PythonFunctionVersions.AsNoTracking().Where(v => v.FunctionId == functionId)
            .OrderByDescending(v => v.Version).ToListAsync(ct);
    }

    public async Task<PythonFunctionVersion?> GetVersionAsync(int functionId, int version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PythonFunctionVersions.AsNoTracking().FirstOrDefaultAsync(v => v.FunctionId == functionId && v.Version == version, ct);
    }

    /// <summary>The function's most recent runs (any trigger), newest first.</summary>
    public async Task<IReadOnlyList<FunctionRunSummary>> RecentRunsAsync(int functionId, int count = 10, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ScriptRuns.AsNoTracking().Where(r => r.FunctionId == functionId)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).Take(count)
            .Select(r => new FunctionRunSummary(r.Id, r.Status, r.Trigger, r.FunctionVersion, r.StartedAt, r.DurationMs, r.TriggeredBy, r.ErrorType, r.ErrorLine))
            .ToListAsync(ct);
    }

    /// <summary>One stored run of the organization (the editor shows a past run's details).</summary>
    public async Task<ScriptRun?> GetRunAsync(long runId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ScriptRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static bool HasErrors(FluentValidation.Results.ValidationResult validation) =>
        validation.Errors.Any(e => e.Severity == Severity.Error);

    /// <summary>Trimmed text; event type and arguments only where the kind has them (a kind switch in the editor leaves none behind).</summary>
    private static FunctionDraft Normalized(FunctionDraft draft) => new()
    {
        FunctionId = draft.FunctionId,
        Kind = draft.Kind,
        Name = (draft.Name ?? "").Trim(),
        Description = (draft.Description ?? "").Trim(),
        Code = (draft.Code ?? "").Replace("\r\n", "\n"),
        IsActive = draft.IsActive,
        EventType = draft.Kind == FunctionKind.EventHandler ? draft.EventType?.Trim() : null,
        Arguments = FunctionDraftValidator.TakesArguments(draft.Kind)
            ? draft.Arguments.Select(a => a with { Name = (a.Name ?? "").Trim(), Description = (a.Description ?? "").Trim() }).ToList()
            : [],
    };

    private void Apply(PythonFunction function, FunctionDraft draft, DateTime now)
    {
        function.Name = draft.Name;
        function.Description = draft.Description;
        function.Code = draft.Code;
        function.IsActive = draft.IsActive;
        function.EventType = draft.EventType;
        function.ArgumentsJson = ArgumentDefinitions.ToJson(draft.Arguments);
        function.UpdatedAt = now;
        function.UpdatedBy = tenant.UserName;
    }

    private static PythonFunctionVersion Snapshot(PythonFunction function) => new()
    {
        FunctionId = function.Id,
        Version = function.Version,
        Name = function.Name,
        Code = function.Code,
        EventType = function.EventType,
        ArgumentsJson = function.ArgumentsJson,
        CreatedAt = function.UpdatedAt,
        CreatedBy = function.UpdatedBy,
    };

    private static string Describe(PythonFunction function) => $"{function.Kind.DisplayName().ToLowerInvariant()} '{function.Name}'";

    private static async Task<bool> TrySaveAsync(DashboardDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
    }

    private static FunctionSaveResult NameTaken(FunctionDraft draft) => FunctionSaveResult.Failure(nameof(FunctionDraft.Name), FunctionRules.NameTaken,
        $"There is already a {draft.Kind.DisplayName().ToLowerInvariant()} named '{draft.Name}'. Choose another name.");

    private static FunctionSaveResult Saved(PythonFunction function, FluentValidation.Results.ValidationResult validation) =>
        new() { Function = function, Warnings = validation.Errors.Where(e => e.Severity != Severity.Error).ToList() };
}
