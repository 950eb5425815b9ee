using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Secrets;

/// <summary>A named secret scripts read with get_secret(name). The value is encrypted with ASP.NET Data Protection.</summary>
public class ScriptSecret : ITenantOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public required string Name { get; set; }
    public required string ProtectedValue { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
    public string? UpdatedBy { get; set; }
}

public sealed class ScriptSecretConfiguration : IEntityTypeConfiguration<ScriptSecret>
{
    public void Configure(EntityTypeBuilder<ScriptSecret> b)
    {
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.UpdatedBy).HasMaxLength(256);
        b.HasIndex(x => new { x.OrganizationId, x.Name }).IsUnique();
    }
}
