using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Conversations;

/// <summary>Web chat only: what the visitor's browser reported. Feeds context["browser_session"].</summary>
public class BrowserSession : ITenantOwned
{
    public long Id { get; set; }
    public int OrganizationId { get; set; }
    public Guid ConversationId { get; set; }
    public string? UserAgent { get; set; }
    public string? Referrer { get; set; }
    public string? Language { get; set; }
    /// <summary>JSON array of {"url", "title", "visitedAt"} in visiting order.</summary>
    public string PagesVisitedJson { get; set; } = "[]";
    public DateTime StartedAt { get; set; } = DateTime.UtcNow;
    public DateTime LastSeenAt { get; set; } = DateTime.UtcNow;
}

public sealed class BrowserSessionConfiguration : IEntityTypeConfiguration<BrowserSession>
{
    public void Configure(EntityTypeBuilder<BrowserSession> b)
    {
        b.Property(x => x.UserAgent).HasMaxLength(1000);
        b.Property(x => x.Referrer).HasMaxLength(2000);
        b.Property(x => x.Language).HasMaxLength(50);
        b.HasIndex(x => x.ConversationId).IsUnique();
        b.HasOne<Conversation>().WithOne(x => x.BrowserSession).HasForeignKey<BrowserSession>(x => x.ConversationId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}
