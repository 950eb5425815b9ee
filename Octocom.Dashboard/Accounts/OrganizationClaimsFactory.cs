using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Accounts;

/// <summary>Puts the user's organization and display name into the sign-in cookie.</summary>
public sealed class OrganizationClaimsFactory(
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(TenantContext.OrganizationClaim, user.OrganizationId.ToString()));
        identity.AddClaim(new Claim("octocom:display_name", string.IsNullOrEmpty(user.DisplayName) ? user.UserName ?? "" : user.DisplayName));
        return identity;
    }
}

public static class ClaimsPrincipalExtensions
{
    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue("octocom:display_name") ?? user.Identity?.Name ?? "unknown";
}
