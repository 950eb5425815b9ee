using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Notifications;

/// <summary>A notification to send: to one agent of the current organization.</summary>
/// <param name="Coalesce">Replace an unread notification of the same kind on the same conversation instead of adding
/// another (ten customer messages in a row give one notification, not ten).</param>
public sealed record NotificationRequest(string Kind, string Title, string? Body = null, Guid? ConversationId = null,
    string? Link = null, bool Coalesce = false);

public enum NotificationOutcome
{
    Sent,
    /// <summary>The agent turned this kind of notification off.</summary>
    Muted,
    /// <summary>No such user in this organization (another organization's user id behaves exactly like a missing one).</summary>
    UnknownUser,
}

/// <summary>
/// In-app notifications for agents of the current organization: stored (the bell's list), pushed to the agent's open
/// circuits, and — where the agent allowed it — shown as a browser notification with a sound.
/// The conversation workspace uses <see cref="NotifyAsync"/> for @mentions in notes.
/// </summary>
public interface INotificationService
{
    Task<NotificationOutcome> NotifyAsync(string userId, NotificationRequest request, CancellationToken ct = default);
    Task<IReadOnlyList<Notification>> RecentAsync(int count = 20, CancellationToken ct = default);
    Task<int> UnreadCountAsync(CancellationToken ct = default);
    Task MarkReadAsync(long? notificationId = null, CancellationToken ct = default);
    Task<NotificationSettings> GetSettingsAsync(CancellationToken ct = default);
    Task SaveSettingsAsync(NotificationSettings settings, CancellationToken ct = default);
    /// <summary>Users of this organization who asked to hear of <paramref name="kind"/> (only opt-in kinds are looked up).</summary>
    Task<IReadOnlyList<string>> SubscribersOfAsync(string kind, CancellationToken ct = default);
}

/// <summary>Scoped: acts for the scope's organization; the "current user" methods act for the scope's user.</summary>
public sealed class NotificationService(
    IDbContextFactory<DashboardDbContext> dbFactory,
    TenantContext tenant,
    NotificationHub hub,
    TimeProvider clock) : INotificationService
{
    public async Task<NotificationOutcome> NotifyAsync(string userId, NotificationRequest request, CancellationToken ct = default)
    {
        var organizationId = tenant.RequireOrganizationId();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Users are not behind the tenant filter (sign-in needs them first): the organization is checked here.
        if (!await db.Users.AnyAsync(u => u.Id == userId && u.OrganizationId == organizationId, ct))
            return NotificationOutcome.UnknownUser;
        var settings = await db.Set<NotificationSettings>().AsNoTracking().FirstOrDefaultAsync(s => s.UserId == userId, ct)
                       ?? NotificationSettings.Defaults(userId, organizationId);
        if (!settings.Wants(request.Kind)) return NotificationOutcome.Muted;

        var now = clock.GetUtcNow().UtcDateTime;
        var notification = request.Coalesce && request.ConversationId is { } conversationId
            ? await db.Set<Notification>().FirstOrDefaultAsync(n => n.UserId == userId && n.ConversationId == conversationId
                                                                    && n.Kind == request.Kind && n.ReadAt == null, ct)
            : null;
        if (notification is null)
        {
            notification = new Notification { UserId = userId, Kind = request.Kind, OrganizationId = organizationId };
            db.Add(notification);
        }
        notification.ConversationId = request.ConversationId;
        notification.Title = Truncate(request.Title, 500)!;
        notification.Body = Truncate(request.Body, 2000);
        notification.Link = request.Link;
        notification.CreatedAt = now;
        await db.SaveChangesAsync(ct);

        hub.Publish(organizationId, userId, new NotificationPush(notification.Id, notification.Kind, notification.Title,
            notification.Body, notification.Link, settings.Browser, settings.Sound));
        return NotificationOutcome.Sent;
    }

    public async Task<IReadOnlyList<Notification>> RecentAsync(int count = 20, CancellationToken ct = default)
    {
        var userId = RequireUser();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<Notification>().AsNoTracking().Where(n => n.UserId == userId)
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(Math.Clamp(count, 1, 100)).ToListAsync(ct);
    }

    public async Task<int> UnreadCountAsync(CancellationToken ct = default)
    {
        var userId = RequireUser();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<Notification>().CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);
    }

    /// <summary>Marks one of my notifications read, or all of them (null).</summary>
    public async Task MarkReadAsync(long? notificationId = null, CancellationToken ct = default)
    {
        var userId = RequireUser();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Set<Notification>()
            .Where(n => n.UserId == userId && n.ReadAt == null && (notificationId == null || n.Id == notificationId))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
    }

    public async Task<NotificationSettings> GetSettingsAsync(CancellationToken ct = default)
    {
        var userId = RequireUser();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<NotificationSettings>().AsNoTracking().FirstOrDefaultAsync(s => s.UserId == userId, ct)
               ?? NotificationSettings.Defaults(userId, tenant.RequireOrganizationId());
    }

    /// <summary>Saves the current user's settings (the user and organization in <paramref name="settings"/> are ignored).</summary>
    public async Task SaveSettingsAsync(NotificationSettings settings, CancellationToken ct = default)
    {
        var userId = RequireUser();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.Set<NotificationSettings>().FirstOrDefaultAsync(s => s.UserId == userId, ct);
        if (stored is null)
        {
            stored = NotificationSettings.Defaults(userId, tenant.RequireOrganizationId());
            db.Add(stored);
        }
        stored.OnAssigned = settings.OnAssigned;
        stored.OnCustomerMessage = settings.OnCustomerMessage;
        stored.OnHandoff = settings.OnHandoff;
        stored.Browser = settings.Browser;
        stored.Sound = settings.Sound;
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<string>> SubscribersOfAsync(string kind, CancellationToken ct = default)
    {
        if (kind != NotificationKinds.HandedOff) throw new ArgumentException($"'{kind}' is not an opt-in notification kind.", nameof(kind));
        var organizationId = tenant.RequireOrganizationId();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<NotificationSettings>().Where(s => s.OnHandoff)
            .Join(db.Users.Where(u => u.OrganizationId == organizationId), s => s.UserId, u => u.Id, (s, u) => u.Id)
            .ToListAsync(ct);
    }

    private string RequireUser() => tenant.UserId ?? throw new InvalidOperationException("No signed-in user for this operation.");

    private static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..(max - 1)] + "…";
}
