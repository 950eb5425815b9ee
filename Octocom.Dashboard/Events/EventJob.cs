using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Events;

public enum EventJobStatus { Pending, Running, Succeeded, Failed }

/// <summary>
/// Outbox row: one per active handler × conversation event, written in the same transaction as the status change.
/// The dispatcher leases it (Status = Running, LeasedUntil), runs the handler, and completes or reschedules it.
/// </summary>
public class EventJob : ITenantOwned
{
    public long Id { get; set; }
    public int OrganizationId { get; set; }
    public int FunctionId { get; set; }
    public Guid ConversationId { get; set; }
    public required string EventType { get; set; }
    public EventJobStatus Status { get; set; } = EventJobStatus.Pending;
    public int Attempts { get; set; }
    /// <summary>The job is not picked up before this time (retry backoff).</summary>
    public DateTime AvailableAt { get; set; } = DateTime.UtcNow;
    /// <summary>A running job whose lease has expired is considered abandoned (crash) and is leased again.</summary>
    public DateTime? LeasedUntil { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime? CompletedAt { get; set; }
    public string? LastError { get; set; }
}

public sealed class EventJobConfiguration : IEntityTypeConfiguration<EventJob>
{
    public void Configure(EntityTypeBuilder<EventJob> b)
    {
        b.Property(x => x.EventType).HasMaxLength(64);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.LeaseOwner).HasMaxLength(100);
        b.HasIndex(x => new { x.Status, x.AvailableAt });
        b.HasIndex(x => new { x.ConversationId, x.CreatedAt });
        b.HasOne<PythonFunction>().WithMany().HasForeignKey(x => x.FunctionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Conversation>().WithMany().HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
