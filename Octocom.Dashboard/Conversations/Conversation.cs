using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Metadata;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Conversations;

public class Conversation : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public int OrganizationId { get; set; }
    public int BusinessId { get; set; }
    public Business? Business { get; set; }
    /// <summary>Short code shown to agents and customers, e.g. "A1B2C3"; unique across the installation.</summary>
    public required string PublicId { get; set; }
    public string Subject { get; set; } = "";
    public ConversationStatus Status { get; set; } = ConversationStatus.Open;
    public string? InitialChannel { get; set; }
    public string? LatestChannel { get; set; }
    public Guid? CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    /// <summary>Time of the latest message or state change; the inbox sorts by it.</summary>
    public DateTime LastActivityAt { get; set; } = DateTime.UtcNow;
    public DateTime? ClosedAt { get; set; }
    public DateTime? HandedOffAt { get; set; }
    /// <summary>Denormalised for the inbox and analytics (median messages per segment) without counting rows.</summary>
    public int MessageCount { get; set; }
    public string LastMessagePreview { get; set; } = "";
    /// <summary>The agent or admin who owns the conversation (null = unassigned). Changed only through <see cref="Assignment.AssignmentService"/>.</summary>
    public string? AssigneeId { get; set; }
    public DateTime? AssignedAt { get; set; }
    /// <summary>Time of the latest customer message; an agent who has not read the conversation since then sees it as unread.</summary>
    public DateTime? LastCustomerMessageAt { get; set; }
    /// <summary>Since when the customer has waited for an answer: the first customer message after the last agent reply (null = answered).</summary>
    public DateTime? WaitingSince { get; set; }
    /// <summary>SHA-256 of the public chat API token that may write to this conversation (web chat only).</summary>
    public string? ChatTokenHash { get; set; }

    public List<Message> Messages { get; set; } = [];
    public List<ConversationMetadata> Metadata { get; set; } = [];
    public List<ConversationTag> Tags { get; set; } = [];
    public List<ConversationEvent> Events { get; set; } = [];
    public BrowserSession? BrowserSession { get; set; }
}

public sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> b)
    {
        b.Property(x => x.PublicId).HasMaxLength(16);
        b.Property(x => x.Subject).HasMaxLength(500);
        b.Property(x => x.Status).HasConversion(s => s.ToWire(), s => ConversationStatusNames.Parse(s) ?? ConversationStatus.Open)
            .HasMaxLength(16);
        b.Property(x => x.InitialChannel).HasMaxLength(32);
        b.Property(x => x.LatestChannel).HasMaxLength(32);
        b.Property(x => x.LastMessagePreview).HasMaxLength(300);
        b.Property(x => x.ChatTokenHash).HasMaxLength(64);
        b.HasIndex(x => x.PublicId).IsUnique();
        // Inbox: newest activity first, optionally narrowed by business / status / channel.
        b.HasIndex(x => new { x.OrganizationId, x.LastActivityAt });
        b.HasIndex(x => new { x.OrganizationId, x.Status, x.LastActivityAt });
        b.HasIndex(x => new { x.OrganizationId, x.BusinessId, x.LastActivityAt });
        b.HasIndex(x => new { x.OrganizationId, x.CreatedAt });
        b.HasIndex(x => x.CustomerId);
        // Team inbox: Mine / Unassigned views and their counts, oldest-waiting sort.
        b.Property(x => x.AssigneeId).HasMaxLength(450);
        b.HasIndex(x => new { x.OrganizationId, x.AssigneeId, x.Status, x.LastActivityAt });
        b.HasIndex(x => new { x.OrganizationId, x.WaitingSince });
        b.HasOne<Accounts.ApplicationUser>().WithMany().HasForeignKey(x => x.AssigneeId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(x => x.Business).WithMany().HasForeignKey(x => x.BusinessId);
        b.HasOne(x => x.Customer).WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.SetNull);
    }
}
