using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Analytics;

/// <summary>A user's bookmarked analytics view: the filter state as the URL query string.</summary>
public class SavedView : ITenantOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    public string Query { get; set; } = "";
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

public sealed class SavedViewConfiguration : IEntityTypeConfiguration<SavedView>
{
    public void Configure(EntityTypeBuilder<SavedView> b)
    {
        b.Property(x => x.UserId).HasMaxLength(450);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Query).HasMaxLength(8000);
        b.HasIndex(x => new { x.OrganizationId, x.UserId, x.Name }).IsUnique();
    }
}
