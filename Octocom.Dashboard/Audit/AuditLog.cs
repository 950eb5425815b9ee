using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Audit;

/// <summary>Entity types the audit trail names (other features may add their own strings).</summary>
public static class AuditEntityTypes
{
    public const string PythonFunction = "PythonFunction";
    public const string ScriptSecret = "ScriptSecret";
    public const string User = "User";
    public const string Business = "Business";
    public const string EventJob = "EventJob";
    public const string Conversation = "Conversation";
    public static readonly string[] Known = [PythonFunction, ScriptSecret, User, Business, EventJob, Conversation];
}

/// <summary>Common audit actions (free text is allowed; these keep the filter list tidy).</summary>
public static class AuditActions
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Deleted = "deleted";
    public const string Replaced = "replaced";
    public const string Restored = "restored";
    public const string Activated = "activated";
    public const string Deactivated = "deactivated";
    public const string RoleChanged = "role_changed";
    public const string Locked = "locked";
    public const string Unlocked = "unlocked";
    public const string PasswordReset = "password_reset";
    public const string PasswordChanged = "password_changed";
    public const string Rerun = "rerun";
}

public sealed record AuditFilter(string? EntityType = null, string? Action = null, string? User = null, string? Search = null,
    DateTime? Since = null);

public sealed record AuditResults(IReadOnlyList<AuditEntry> Entries, int Total);

/// <summary>
/// The audit trail: who changed which script, handler, secret, user or business, and when. The actor and the
/// organization come from the scope's <see cref="TenantContext"/> (the signed-in user, or the actor named by
/// <see cref="TenantScopes.Create"/> for background work and the CLI).
/// </summary>
public sealed class AuditLog(IDbContextFactory<DashboardDbContext> dbFactory, TenantContext tenant, TimeProvider clock)
{
    public const int MaxSummaryLength = 2000;

    /// <summary>Records one change in its own transaction. Call it after the change has been saved.</summary>
    public async Task RecordAsync(string action, string entityType, string entityId, string summary, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        Stage(db, action, entityType, entityId, summary);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Adds the entry to <paramref name="db"/> so it is saved in the same transaction as the change itself.</summary>
    public AuditEntry Stage(DashboardDbContext db, string action, string entityType, string entityId, string summary)
    {
        var entry = new AuditEntry
        {
            OrganizationId = tenant.RequireOrganizationId(),
            UserId = tenant.UserId,
            UserName = Truncate(tenant.UserName, 256),
            Action = Truncate(action, 50),
            EntityType = Truncate(entityType, 100),
            EntityId = Truncate(entityId, 100),
            Summary = Truncate(summary, MaxSummaryLength),
            At = clock.GetUtcNow().UtcDateTime,
        };
        db.AuditEntries.Add(entry);
        return entry;
    }

    /// <summary>The current organization's entries, newest first.</summary>
    public async Task<AuditResults> SearchAsync(AuditFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.EntityType)) query = query.Where(e => e.EntityType == filter.EntityType);
        if (!string.IsNullOrWhiteSpace(filter.Action)) query = query.Where(e => e.Action == filter.Action);
        if (!string.IsNullOrWhiteSpace(filter.User))
        {
            var user = filter.User.Trim().ToLower();
            query = query.Where(e => e.UserName.ToLower().Contains(user));
        }
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var text = filter.Search.Trim().ToLower();
            query = query.Where(e => e.Summary.ToLower().Contains(text) || e.EntityId.ToLower().Contains(text));
        }
        if (filter.Since is { } since) query = query.Where(e => e.At >= since);

        var total = await query.CountAsync(ct);
        var entries = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(Math.Max(page, 0) * pageSize).Take(pageSize).ToListAsync(ct);
        return new AuditResults(entries, total);
    }

    /// <summary>The actions that occur in this organization's trail (for the filter list).</summary>
    public async Task<IReadOnlyList<string>> ActionsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AuditEntries.Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(ct);
    }

    private static string Truncate(string? s, int max) => s is null ? "" : s.Length > max ? s[..(max - 1)] + "…" : s;
}
