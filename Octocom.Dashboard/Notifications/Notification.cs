using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Notifications;

/// <summary>One in-app notification for one agent (the bell in the app bar lists them).</summary>
public class Notification : ITenantOwned
{
    public long Id { get; set; }
    public int OrganizationId { get; set; }
    public required string UserId { get; set; }
    /// <summary>See <see cref="NotificationKinds"/>.</summary>
    public required string Kind { get; set; }
    public Guid? ConversationId { get; set; }
    /// <summary>Plain text; may quote visitor-written text, so it is always rendered as text.</summary>
    public string Title { get; set; } = "";
    public string? Body { get; set; }
    /// <summary>Where clicking it leads, a path inside the dashboard (e.g. /conversations/A1B2C3).</summary>
    public string? Link { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime? ReadAt { get; set; }
}

/// <summary>What an agent wants to be told of, and how. One row per user; missing = <see cref="Defaults"/>.</summary>
public class NotificationSettings : ITenantOwned
{
    public required string UserId { get; set; }
    public int OrganizationId { get; set; }
    /// <summary>A conversation was assigned to me (by someone else).</summary>
    public bool OnAssigned { get; set; } = true;
    /// <summary>A conversation I own got a customer message.</summary>
    public bool OnCustomerMessage { get; set; } = true;
    /// <summary>Any conversation was handed off (opt-in: it is noisy for a large team).</summary>
    public bool OnHandoff { get; set; }
    /// <summary>Also show a browser notification (the browser asks the agent's permission once).</summary>
    public bool Browser { get; set; }
    public bool Sound { get; set; }

    public static NotificationSettings Defaults(string userId, int organizationId) => new() { UserId = userId, OrganizationId = organizationId };

    public bool Wants(string kind) => kind switch
    {
        NotificationKinds.Assigned => OnAssigned,
        NotificationKinds.CustomerMessage => OnCustomerMessage,
        NotificationKinds.HandedOff => OnHandoff,
        _ => true, // mentions and other direct notifications always arrive
    };
}

public static class NotificationKinds
{
    public const string Assigned = "assigned";
    public const string CustomerMessage = "customer_message";
    public const string HandedOff = "handed_off";
    /// <summary>For the conversation workspace: @mentions in private notes.</summary>
    public const string Mention = "mention";
}

public sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.Property(x => x.UserId).HasMaxLength(450);
        b.Property(x => x.Kind).HasMaxLength(32);
        b.Property(x => x.Title).HasMaxLength(500);
        b.Property(x => x.Body).HasMaxLength(2000);
        b.Property(x => x.Link).HasMaxLength(500);
        b.HasIndex(x => new { x.UserId, x.ReadAt, x.CreatedAt });
        b.HasIndex(x => new { x.UserId, x.ConversationId, x.Kind });
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class NotificationSettingsConfiguration : IEntityTypeConfiguration<NotificationSettings>
{
    public void Configure(EntityTypeBuilder<NotificationSettings> b)
    {
        b.HasKey(x => x.UserId);
        b.Property(x => x.UserId).HasMaxLength(450);
        b.HasIndex(x => new { x.OrganizationId, x.OnHandoff });
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
