using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Businesses;

/// <summary>A brand or shop of an organization; conversations, the chat widget and test runs are per business.</summary>
public class Business : ITenantOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public required string Name { get; set; }
    /// <summary>Globally unique: the public chat API and the embed snippet address a business by slug.</summary>
    public required string Slug { get; set; }
    /// <summary>Origins allowed to call the public chat API from a browser, one per line; empty means any origin.</summary>
    public string AllowedOrigins { get; set; } = "";
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

public sealed class BusinessConfiguration : IEntityTypeConfiguration<Business>
{
    public void Configure(EntityTypeBuilder<Business> b)
    {
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Slug).HasMaxLength(100);
        b.Property(x => x.AllowedOrigins).HasMaxLength(4000);
        b.HasIndex(x => x.Slug).IsUnique();
        b.HasIndex(x => x.OrganizationId);
    }
}
