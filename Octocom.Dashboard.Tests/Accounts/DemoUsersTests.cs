using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Accounts;

/// <summary>Production switches: DemoData:CreateUsers and the Accounts cookie/lockout settings.</summary>
public sealed class DemoUsersTests
{
    private static async Task<List<string>> UserEmailsAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.Get<UserManager<ApplicationUser>>().Users.Select(u => u.Email!).OrderBy(e => e).ToListAsync();
    }

    [Fact]
    public async Task DemoData_WithCreateUsers_CreatesOneUserPerRoleInEachDemoOrganization()
    {
        await using var app = await TestApp.CreateAsync(demoData: true, demoConversations: 5);
        Assert.Equal(
            ["admin@demo.octocom.local", "admin@globex.example", "agent@demo.octocom.local", "agent@globex.example",
             "manager@demo.octocom.local", "manager@globex.example"],
            await UserEmailsAsync(app));
    }

    [Fact]
    public async Task DemoData_WithCreateUsersFalse_CreatesNoUsersButTheRoles()
    {
        await using var app = await TestApp.CreateAsync(demoData: true, demoConversations: 5,
            settings: new Dictionary<string, string?> { ["DemoData:CreateUsers"] = "false" });

        Assert.Empty(await UserEmailsAsync(app));
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(Roles.All.Order(), await scope.Get<RoleManager<IdentityRole>>().Roles.Select(r => r.Name!).OrderBy(n => n).ToListAsync());
    }

    [Fact]
    public async Task SecureCookies_On_MarksAuthAndAntiforgeryCookiesSecure()
    {
        await using var app = await TestApp.CreateAsync(settings: new Dictionary<string, string?> { ["Accounts:SecureCookies"] = "true" });

        var cookie = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).Cookie;
        var antiforgery = app.Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie;

        Assert.Equal((CookieSecurePolicy.Always, true, SameSiteMode.Lax), (cookie.SecurePolicy, cookie.HttpOnly, cookie.SameSite));
        Assert.Equal((CookieSecurePolicy.Always, true, SameSiteMode.Strict), (antiforgery.SecurePolicy, antiforgery.HttpOnly, antiforgery.SameSite));
    }

    [Fact]
    public async Task LockoutSettings_AreAppliedToIdentity()
    {
        await using var app = await TestApp.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Accounts:MaxFailedAccessAttempts"] = "3", ["Accounts:LockoutDuration"] = "00:05:00",
        });

        var lockout = app.Services.GetRequiredService<IOptions<IdentityOptions>>().Value.Lockout;

        Assert.Equal((3, TimeSpan.FromMinutes(5), true), (lockout.MaxFailedAccessAttempts, lockout.DefaultLockoutTimeSpan, lockout.AllowedForNewUsers));
    }

    [Fact]
    public async Task InvalidAccountsSettings_FailAtStart()
    {
        await using var app = await TestApp.CreateAsync(settings: new Dictionary<string, string?> { ["Accounts:MaxFailedAccessAttempts"] = "0" });
        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<AccountOptions>>().Value);
        Assert.Contains("Invalid Accounts settings", error.Message);
    }
}
