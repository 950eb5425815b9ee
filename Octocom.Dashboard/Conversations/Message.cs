using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Conversations;

public class Message : ITenantOwned
{
    public long Id { get; set; }
    public int OrganizationId { get; set; }
    public Guid ConversationId { get; set; }
    public MessageSender Sender { get; set; }
    /// <summary>Markdown; rendered with raw HTML disabled.</summary>
    public string Content { get; set; } = "";
    public string Channel { get; set; } = Channels.Web;
    public DateTime Timestamp { get; set; } = DateTime.UtcNow;
    /// <summary>Display name of the agent who wrote it (agent messages only).</summary>
    public string? AuthorName { get; set; }
}

public sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> b)
    {
        b.Property(x => x.Sender).HasConversion(s => s.ToWire(), s => Enum.Parse<MessageSender>(s, true)).HasMaxLength(16);
        b.Property(x => x.Channel).HasMaxLength(32);
        b.Property(x => x.AuthorName).HasMaxLength(200);
        b.HasIndex(x => new { x.ConversationId, x.Timestamp });
        b.HasOne<Conversation>().WithMany(x => x.Messages).HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
