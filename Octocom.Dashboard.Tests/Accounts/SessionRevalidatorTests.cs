using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Accounts;

/// <summary>The check an open Blazor circuit runs every SessionValidationInterval.</summary>
public sealed class SessionRevalidatorTests : IAsyncLifetime
{
    private TestApp _app = default!;
    private string _userId = "";

    public async Task InitializeAsync()
    {
        _app = await TestApp.CreateAsync();
        var tenant = await _app.CreateTenantAsync();
        await using var scope = _app.ScopeFor(tenant.OrganizationId);
        _userId = (await scope.Get<UserAdminService>().CreateAsync(new NewUser("agent@acme.test", "", Roles.Agent, "Session-Passw0rd!"))).UserId!;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<bool> IsCurrentAsync(ClaimsPrincipal principal)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await SessionRevalidator.IsCurrentAsync(scope.Get<UserManager<ApplicationUser>>(), principal,
            _app.Services.GetRequiredService<IOptions<IdentityOptions>>().Value);
    }

    private async Task<ClaimsPrincipal> SignedInPrincipalAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.Get<UserManager<ApplicationUser>>();
        return await scope.Get<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync((await users.FindByIdAsync(_userId))!);
    }

    private async Task WithUserAsync(Func<UserManager<ApplicationUser>, ApplicationUser, Task> action)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.Get<UserManager<ApplicationUser>>();
        await action(users, (await users.FindByIdAsync(_userId))!);
    }

    [Fact]
    public async Task UnchangedUser_StaysSignedIn() => Assert.True(await IsCurrentAsync(await SignedInPrincipalAsync()));

    [Fact]
    public async Task RotatedSecurityStamp_EndsTheSession()
    {
        var principal = await SignedInPrincipalAsync();
        await WithUserAsync((users, user) => users.UpdateSecurityStampAsync(user));
        Assert.False(await IsCurrentAsync(principal));
    }

    [Fact]
    public async Task DeletedUser_EndsTheSession()
    {
        var principal = await SignedInPrincipalAsync();
        await WithUserAsync((users, user) => users.DeleteAsync(user));
        Assert.False(await IsCurrentAsync(principal));
    }

    [Fact]
    public async Task LockoutFromSomeoneElsesFailedSignIns_DoesNotEndTheSession()
    {
        var principal = await SignedInPrincipalAsync();
        await WithUserAsync(async (users, user) =>
        {
            for (var i = 0; i < 5; i++) await users.AccessFailedAsync(user);
            Assert.True(await users.IsLockedOutAsync(user));
        });
        Assert.True(await IsCurrentAsync(principal));
    }
}
