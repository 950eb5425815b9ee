using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Conversations;

/// <summary>A tag on a conversation (added by agents or by scripts through add_conversation_tag).</summary>
public class ConversationTag : ITenantOwned
{
    public long Id { get; set; }
    public int OrganizationId { get; set; }
    public Guid ConversationId { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

public sealed class ConversationTagConfiguration : IEntityTypeConfiguration<ConversationTag>
{
    public const int MaxNameLength = 100;

    public void Configure(EntityTypeBuilder<ConversationTag> b)
    {
        b.ToTable("Tags");
        b.Property(x => x.Name).HasMaxLength(MaxNameLength);
        b.HasIndex(x => new { x.ConversationId, x.Name }).IsUnique();
        b.HasIndex(x => new { x.OrganizationId, x.Name });
        b.HasOne<Conversation>().WithMany(x => x.Tags).HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
