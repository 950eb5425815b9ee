using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Audit;

/// <summary>Who changed which script, handler, secret or user, and when.</summary>
public class AuditEntry : ITenantOwned
{
    public long Id { get; set; }
    public int OrganizationId { get; set; }
    public string? UserId { get; set; }
    public string UserName { get; set; } = "";
    /// <summary>e.g. "created", "updated", "deleted", "restored", "replaced".</summary>
    public required string Action { get; set; }
    /// <summary>e.g. "PythonFunction", "ScriptSecret", "User", "Business".</summary>
    public required string EntityType { get; set; }
    public string EntityId { get; set; } = "";
    public string Summary { get; set; } = "";
    public DateTime At { get; set; } = DateTime.UtcNow;
}

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(x => x.UserId).HasMaxLength(450);
        b.Property(x => x.UserName).HasMaxLength(256);
        b.Property(x => x.Action).HasMaxLength(50);
        b.Property(x => x.EntityType).HasMaxLength(100);
        b.Property(x => x.EntityId).HasMaxLength(100);
        b.Property(x => x.Summary).HasMaxLength(2000);
        b.HasIndex(x => new { x.OrganizationId, x.At });
    }
}
