using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Conversations;

/// <summary>A timeline entry: status changes written by the system, or events scripts add with add_conversation_event.</summary>
public class ConversationEvent : ITenantOwned
{
    public long Id { get; set; }
    public int OrganizationId { get; set; }
    public Guid ConversationId { get; set; }
    /// <summary>Machine name, e.g. "conversation_closed", "handoff", "crm_synced".</summary>
    public required string Type { get; set; }
    /// <summary>Human-readable line shown on the timeline.</summary>
    public string Description { get; set; } = "";
    /// <summary>Optional JSON payload (from scripts).</summary>
    public string? DataJson { get; set; }
    /// <summary>Who wrote it: "system", "agent:Jane Doe", "script:CRM sync".</summary>
    public string Source { get; set; } = "system";
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

public sealed class ConversationEventConfiguration : IEntityTypeConfiguration<ConversationEvent>
{
    public void Configure(EntityTypeBuilder<ConversationEvent> b)
    {
        b.Property(x => x.Type).HasMaxLength(100);
        b.Property(x => x.Description).HasMaxLength(2000);
        b.Property(x => x.Source).HasMaxLength(200);
        b.HasIndex(x => new { x.ConversationId, x.CreatedAt });
        b.HasOne<Conversation>().WithMany(x => x.Events).HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
