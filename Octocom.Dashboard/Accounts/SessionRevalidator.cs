using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Octocom.Dashboard.Accounts;

/// <summary>
/// Re-checks an open Blazor circuit's user every <see cref="AccountOptions.SessionValidationInterval"/>: a circuit
/// outlives the cookie check of the request that opened it, so without this a deleted, locked or demoted user
/// would keep their old rights until they closed the tab.
/// </summary>
public sealed class SessionRevalidator(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    IOptions<IdentityOptions> identityOptions,
    IOptions<AccountOptions> accountOptions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    /// <summary>A zero interval (validate every request) is fine for cookies, but a circuit needs a real delay.</summary>
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(5);

    protected override TimeSpan RevalidationInterval =>
        accountOptions.Value.SessionValidationInterval < MinimumInterval ? MinimumInterval : accountOptions.Value.SessionValidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await IsCurrentAsync(users, state.User, identityOptions.Value);
    }

    /// <summary>
    /// The user still exists and their security stamp matches the one they signed in with. Lockout alone does not end
    /// a session (otherwise anyone could sign a user out by failing to sign in as them); an admin's lock rotates the stamp.
    /// </summary>
    public static async Task<bool> IsCurrentAsync(UserManager<ApplicationUser> users, ClaimsPrincipal principal, IdentityOptions options)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null) return false;
        if (!users.SupportsUserSecurityStamp) return true;
        return principal.FindFirstValue(options.ClaimsIdentity.SecurityStampClaimType) == await users.GetSecurityStampAsync(user);
    }
}
