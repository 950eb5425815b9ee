using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Metadata;

/// <summary>One key/value pair on a conversation. Written only through <see cref="MetadataService"/>, which enforces the limits.</summary>
public class ConversationMetadata : ITenantOwned
{
    public long Id { get; set; }
    public int OrganizationId { get; set; }
    public Guid ConversationId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
    /// <summary>The value parsed as a number (invariant culture) when it is one; lets numeric filters use an index.</summary>
    public double? NumericValue { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
    /// <summary>Who last wrote it: chat-widget, agent, script or system.</summary>
    public string Source { get; set; } = MetadataSources.System;
}

public static class MetadataSources
{
    public const string ChatWidget = "chat-widget";
    public const string Agent = "agent";
    public const string Script = "script";
    public const string System = "system";
}

public sealed class ConversationMetadataConfiguration : IEntityTypeConfiguration<ConversationMetadata>
{
    public void Configure(EntityTypeBuilder<ConversationMetadata> b)
    {
        b.ToTable("ConversationMetadata");
        b.Property(x => x.Key).HasMaxLength(MetadataLimits.MaxKeyLength);
        b.Property(x => x.Value).HasMaxLength(MetadataLimits.MaxValueLength);
        b.Property(x => x.Source).HasMaxLength(32);
        b.HasIndex(x => new { x.ConversationId, x.Key }).IsUnique();
        // Analytics: key = value, key exists, and segment counts; the conversation id makes them covering.
        b.HasIndex(x => new { x.OrganizationId, x.Key, x.Value, x.ConversationId });
        b.HasIndex(x => new { x.OrganizationId, x.Key, x.NumericValue, x.ConversationId });
        b.HasOne<Conversation>().WithMany(x => x.Metadata).HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
