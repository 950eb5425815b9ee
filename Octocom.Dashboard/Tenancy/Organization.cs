namespace Octocom.Dashboard.Tenancy;

/// <summary>A tenant. Every other entity belongs to exactly one organization.</summary>
public class Organization
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
}

/// <summary>Marks an entity as owned by an organization; the DbContext filters every query on it by the current tenant.</summary>
public interface ITenantOwned
{
    int OrganizationId { get; set; }
}
