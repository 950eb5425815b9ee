using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Audit;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Metadata;
using Octocom.Dashboard.Notifications;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Conversations.Assignment;

/// <summary>Someone a conversation can be assigned to: an agent or admin of the organization who is not locked.</summary>
public sealed record Assignee(string Id, string DisplayName, string Email);

/// <summary>The outcome of an assignment: done (possibly a no-op), or refused with the reason (nothing changed then).</summary>
public sealed record AssignmentResult(bool Succeeded, bool Changed, string? Error = null)
{
    public static readonly AssignmentResult Unchanged = new(true, false);
    public static readonly AssignmentResult Done = new(true, true);
    public static AssignmentResult Refused(string error) => new(false, false, error);
}

/// <summary>What a bulk action did: how many conversations changed and why the others were refused.</summary>
public sealed record BulkResult(int Changed, IReadOnlyList<string> Errors);

/// <summary>
/// Who owns a conversation. Every assignment change writes, in one transaction: the conversation's assignee, a
/// timeline entry ("Assigned to Jane by Sam"), an audit entry and the read-only metadata pair
/// <see cref="AssigneeMetadataKey"/> (the assignee's email), which is how analytics filters and segments by assignee
/// and how event handlers see the assignee (<c>get_conversation_metadata(context, "octocom:assignee")</c>, see
/// docs/events.md). Only agents and admins of the same organization who are not locked can be assigned.
/// Scoped: acts for the scope's organization and user.
/// </summary>
public sealed class AssignmentService(
    IDbContextFactory<DashboardDbContext> dbFactory,
    ConversationLifecycle lifecycle,
    IConversationNotifier notifier,
    InboxNotifications inboxNotifications,
    AuditLog audit,
    TenantContext tenant,
    TimeProvider clock)
{
    /// <summary>The metadata key that mirrors the assignee's email (absent when unassigned).</summary>
    public const string AssigneeMetadataKey = MetadataLimits.SystemPrefix + "assignee";
    public const string AuditEntity = AuditEntityTypes.Conversation;
    public const string AssignedEvent = "conversation_assigned";
    public const string UnassignedEvent = "conversation_unassigned";

    private static readonly string[] AssignableRoles = [Roles.Agent, Roles.Admin];

    /// <summary>Agents and admins of this organization who can own conversations, by name.</summary>
    public async Task<IReadOnlyList<Assignee>> AssigneesAsync(CancellationToken ct = default)
    {
        var organizationId = tenant.RequireOrganizationId();
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var assignable = from u in db.Users
                         where u.OrganizationId == organizationId
                         where db.UserRoles.Any(ur => ur.UserId == u.Id
                                                     && db.Roles.Any(r => r.Id == ur.RoleId && AssignableRoles.Contains(r.Name!)))
                         select new { u.Id, u.DisplayName, u.Email, u.LockoutEnd };
        // The lockout check runs here: SQLite cannot compare DateTimeOffset values in SQL.
        return (await assignable.ToListAsync(ct))
            .Where(u => u.LockoutEnd is null || u.LockoutEnd <= now)
            .Select(u => new Assignee(u.Id, string.IsNullOrWhiteSpace(u.DisplayName) ? u.Email ?? u.Id : u.DisplayName, u.Email ?? ""))
            .OrderBy(a => a.DisplayName, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Assigns, reassigns or (with null) unassigns one conversation.</summary>
    public async Task<AssignmentResult> AssignAsync(Guid conversationId, string? assigneeId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == conversationId, ct);
        if (conversation is null) return AssignmentResult.Refused("There is no such conversation in your organization.");
        var staged = await StageAsync(db, conversation, assigneeId, ct);
        if (!staged.Result.Changed) return staged.Result;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await PublishAsync(conversation, staged.Assignee);
        return staged.Result;
    }

    public Task<AssignmentResult> AssignToMeAsync(Guid conversationId, CancellationToken ct = default) =>
        tenant.UserId is { } me ? AssignAsync(conversationId, me, ct) : Task.FromResult(AssignmentResult.Refused("Sign in to take conversations."));

    /// <summary>
    /// "Take handoff": the signed-in agent becomes the assignee and the conversation is open again, in one transaction.
    /// Refused when another agent already owns it (two agents taking the same handoff: the second is told who has it).
    /// </summary>
    public async Task<AssignmentResult> TakeHandoffAsync(Guid conversationId, CancellationToken ct = default)
    {
        if (tenant.UserId is not { } me) return AssignmentResult.Refused("Sign in to take conversations.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == conversationId, ct);
        if (conversation is null) return AssignmentResult.Refused("There is no such conversation in your organization.");
        if (conversation.AssigneeId is { } owner && owner != me)
            return AssignmentResult.Refused($"{await NameOfAsync(db, owner, ct)} has already taken this conversation.");

        var staged = await StageAsync(db, conversation, me, ct);
        if (!staged.Result.Succeeded) return staged.Result;
        var actor = ActorSource;
        var status = await lifecycle.StageAsync(db, conversation, ConversationStatus.Open, actor, ct);
        if (!staged.Result.Changed && !status.Changed) return AssignmentResult.Unchanged;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (staged.Result.Changed) await PublishAsync(conversation, staged.Assignee);
        await lifecycle.PublishAsync(conversation, status, actor);
        return AssignmentResult.Done;
    }

    /// <summary>Assigns (or unassigns) several conversations; each is its own transaction, refusals are listed.</summary>
    public async Task<BulkResult> AssignManyAsync(IReadOnlyCollection<Guid> conversationIds, string? assigneeId, CancellationToken ct = default)
    {
        if (!string.IsNullOrWhiteSpace(assigneeId))
        {
            // The same refusal would repeat for every row: check the assignee once.
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if ((await CheckAssigneeAsync(db, assigneeId, ct)).Error is { } refusal) return new BulkResult(0, [refusal]);
        }
        var changed = 0;
        var errors = new List<string>();
        foreach (var id in conversationIds.Distinct())
        {
            var result = await AssignAsync(id, assigneeId, ct);
            if (result.Changed) changed++;
            if (result.Error is { } error && !errors.Contains(error)) errors.Add(error);
        }
        return new BulkResult(changed, errors);
    }

    /// <summary>Unassigns every conversation of a user who is about to be deleted (keeps the timeline and metadata honest).</summary>
    public async Task<int> ReleaseAllAsync(string userId, CancellationToken ct = default)
    {
        List<Guid> owned;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            owned = await db.Conversations.Where(c => c.AssigneeId == userId).Select(c => c.Id).ToListAsync(ct);
        var released = 0;
        foreach (var id in owned)
            if ((await AssignAsync(id, null, ct)).Changed) released++;
        return released;
    }

    private sealed record Staged(AssignmentResult Result, Assignee? Assignee);

    private async Task<Staged> StageAsync(DashboardDbContext db, Conversation conversation, string? assigneeId, CancellationToken ct)
    {
        assigneeId = string.IsNullOrWhiteSpace(assigneeId) ? null : assigneeId;
        if (conversation.AssigneeId == assigneeId) return new(AssignmentResult.Unchanged, null);

        Assignee? assignee = null;
        if (assigneeId is not null)
        {
            var check = await CheckAssigneeAsync(db, assigneeId, ct);
            if (check.Error is { } error) return new(AssignmentResult.Refused(error), null);
            assignee = check.Assignee;
        }

        var previous = conversation.AssigneeId is { } previousId ? await NameOfAsync(db, previousId, ct) : null;
        var now = clock.GetUtcNow().UtcDateTime;
        var actor = tenant.User.DisplayName();
        conversation.AssigneeId = assigneeId;
        conversation.AssignedAt = assignee is null ? null : now;
        conversation.LastActivityAt = now;

        var description = (previous, assignee) switch
        {
            (null, { } to) => $"Assigned to {to.DisplayName} by {actor}",
            ({ } from, { } to) => $"Reassigned from {from} to {to.DisplayName} by {actor}",
            ({ } from, null) => $"Unassigned from {from} by {actor}",
            _ => $"Unassigned by {actor}",
        };
        db.ConversationEvents.Add(new ConversationEvent
        {
            OrganizationId = conversation.OrganizationId,
            ConversationId = conversation.Id,
            Type = assignee is null ? UnassignedEvent : AssignedEvent,
            Description = description,
            Source = ActorSource,
            CreatedAt = now,
        });
        audit.Stage(db, assignee is null ? "unassigned" : "assigned", AuditEntity, conversation.PublicId, $"#{conversation.PublicId}: {description}");
        await StageMetadataAsync(db, conversation, assignee?.Email, now, ct);
        return new(AssignmentResult.Done, assignee);
    }

    /// <summary>The system-owned mirror of the assignee; written directly (not through MetadataService), since no
    /// other writer may set keys under <see cref="MetadataLimits.SystemPrefix"/>.</summary>
    private static async Task StageMetadataAsync(DashboardDbContext db, Conversation conversation, string? email, DateTime now, CancellationToken ct)
    {
        var pair = await db.ConversationMetadata.FirstOrDefaultAsync(m => m.ConversationId == conversation.Id && m.Key == AssigneeMetadataKey, ct);
        if (email is null)
        {
            if (pair is not null) db.ConversationMetadata.Remove(pair);
            return;
        }
        if (pair is null)
        {
            pair = new ConversationMetadata
            {
                OrganizationId = conversation.OrganizationId, ConversationId = conversation.Id, Key = AssigneeMetadataKey, Value = email,
                CreatedAt = now,
            };
            db.ConversationMetadata.Add(pair);
        }
        pair.Value = email;
        pair.NumericValue = null;
        pair.UpdatedAt = now;
        pair.Source = MetadataSources.System;
    }

    private async Task<(Assignee? Assignee, string? Error)> CheckAssigneeAsync(DashboardDbContext db, string userId, CancellationToken ct)
    {
        var organizationId = tenant.RequireOrganizationId();
        // Users are not behind the tenant filter: another organization's user must look exactly like a missing one.
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.OrganizationId == organizationId)
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.LockoutEnd }).FirstOrDefaultAsync(ct);
        if (user is null) return (null, NoSuchUser);
        var name = string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? user.Id : user.DisplayName;
        if (user.LockoutEnd is { } end && end > clock.GetUtcNow())
            return (null, $"{name} is locked out and cannot be assigned conversations.");
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == userId select r.Name).ToListAsync(ct);
        if (!roles.Any(r => AssignableRoles.Contains(r)))
            return (null, $"{name} is a {string.Join("/", roles.DefaultIfEmpty("user"))}; only agents and admins can be assigned conversations.");
        return (new Assignee(user.Id, name, user.Email ?? ""), null);
    }

    private const string NoSuchUser = "There is no such user in your organization.";

    private async Task<string> NameOfAsync(DashboardDbContext db, string userId, CancellationToken ct)
    {
        var organizationId = tenant.RequireOrganizationId();
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.OrganizationId == organizationId)
            .Select(u => new { u.DisplayName, u.Email }).FirstOrDefaultAsync(ct);
        return user is null ? "a former user" : string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? userId : user.DisplayName;
    }

    private string ActorSource => $"agent:{tenant.User.DisplayName()}";

    private async Task PublishAsync(Conversation conversation, Assignee? assignee)
    {
        notifier.Publish(conversation.OrganizationId, conversation.Id, ConversationChangeKind.Assignment);
        if (assignee is not null) await inboxNotifications.AssignedAsync(conversation, assignee.Id, tenant.User.DisplayName());
    }
}
