using System.Security.Claims;

namespace Octocom.Dashboard.Tenancy;

/// <summary>
/// The organization (and user) the current DI scope acts for. It is the single source the DbContext's
/// global query filters read, so a scope without a tenant sees no tenant-owned rows at all (fail closed).
/// Filled from the signed-in user (HTTP middleware, Blazor circuit handler) or explicitly by background work.
/// </summary>
public sealed class TenantContext
{
    public const string OrganizationClaim = "octocom:org";

    public int? OrganizationId { get; private set; }
    public ClaimsPrincipal User { get; private set; } = new(new ClaimsIdentity());
    public string? UserId => User.FindFirstValue(ClaimTypes.NameIdentifier);
    public string UserName => User.Identity?.Name ?? "system";

    public void SetUser(ClaimsPrincipal user)
    {
        User = user;
        OrganizationId = int.TryParse(user.FindFirstValue(OrganizationClaim), out var id) ? id : null;
    }

    /// <summary>For background work (dispatcher, public chat API, CLI) that acts for an organization without a user.</summary>
    public void UseOrganization(int organizationId, string actor = "system")
    {
        OrganizationId = organizationId;
        User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, actor), new Claim(OrganizationClaim, organizationId.ToString())], "system"));
    }

    public int RequireOrganizationId() =>
        OrganizationId ?? throw new InvalidOperationException("No organization is selected for this operation.");
}
