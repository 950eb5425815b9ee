using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Audit;
using Octocom.Dashboard.Tests.Tenancy;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Accounts;

/// <summary>Sign-in, lockout, password change and session ending over real HTTP (see <see cref="SecurityServerFixture"/>).</summary>
[Collection(SecurityCollection.Name)]
public sealed class AccountHttpTests(SecurityServerFixture fixture)
{
    private static Dictionary<string, string> PasswordForm(string current, string next, string? confirm = null) => new()
    {
        ["Input.CurrentPassword"] = current,
        ["Input.NewPassword"] = next,
        ["Input.ConfirmPassword"] = confirm ?? next,
    };

    private static Task<HttpResponseMessage> ChangePasswordAsync(DashboardClient client, Dictionary<string, string> form) =>
        client.SubmitFormAsync("/account/password", "[data-testid=password-form]", form);

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    [Fact]
    public async Task Login_CorrectPassword_SetsHttpOnlySameSiteAuthCookie()
    {
        using var client = await fixture.NewClientAsync();
        var response = await client.TrySignInAsync(SecurityServerFixture.DemoUser(Roles.Agent));

        Assert.True(DashboardClient.IsRedirectTo(response, "/"));
        var cookie = Assert.Single(SetCookies(response), c => c.StartsWith(DashboardClient.AuthCookie + "="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie.Replace("samesite", ""), StringComparison.OrdinalIgnoreCase); // plain HTTP, SecureCookies off
    }

    [Fact]
    public async Task Login_WrongPassword_RedirectsBackWithErrorAndNoCookie()
    {
        using var client = await fixture.NewClientAsync();
        var response = await client.TrySignInAsync(SecurityServerFixture.DemoUser(Roles.Agent), "not-the-password");

        Assert.StartsWith("/account/login?error=invalid", DashboardClient.RedirectTarget(response));
        Assert.False(client.HasAuthCookie);
    }

    [Fact]
    public async Task Login_ReturnUrlToAnotherSite_IsIgnored()
    {
        using var client = await fixture.NewClientAsync();
        var response = await client.TrySignInAsync(SecurityServerFixture.DemoUser(Roles.Agent), returnUrl: "//evil.example/phish");
        Assert.Equal("/", DashboardClient.RedirectTarget(response));
    }

    [Fact]
    public async Task Login_FiveFailedAttempts_LocksTheAccountEvenForTheRightPassword()
    {
        var (_, email, password) = await fixture.CreateUserAsync(Roles.Agent);
        using var client = await fixture.NewClientAsync();

        for (var attempt = 1; attempt <= 4; attempt++)
            Assert.StartsWith("/account/login?error=invalid", DashboardClient.RedirectTarget(await client.TrySignInAsync(email, "wrong-" + attempt)));
        Assert.StartsWith("/account/login?error=locked", DashboardClient.RedirectTarget(await client.TrySignInAsync(email, "wrong-5")));

        var withRightPassword = await client.TrySignInAsync(email, password);
        Assert.StartsWith("/account/login?error=locked", DashboardClient.RedirectTarget(withRightPassword));
        Assert.False(client.HasAuthCookie);

        var loginPage = await client.GetAsync("/account/login?error=locked");
        Assert.Contains("Too many failed attempts", await loginPage.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Login_LockedAccountUnlockedByAdmin_CanSignInAgain()
    {
        var (id, email, password) = await fixture.CreateUserAsync(Roles.Agent);
        using var client = await fixture.NewClientAsync();
        for (var attempt = 1; attempt <= 5; attempt++) await client.TrySignInAsync(email, "wrong");

        await using (var scope = fixture.Server.ScopeFor(SecurityServerFixture.DemoOrganization))
            Assert.True((await scope.Get<UserAdminService>().SetLockedAsync(id, locked: false)).Succeeded);

        Assert.True(DashboardClient.IsRedirectTo(await client.TrySignInAsync(email, password), "/"));
    }

    [Fact]
    public async Task ChangePassword_Valid_ReissuesThisCookieAndEndsOtherSessions()
    {
        var (_, email, password) = await fixture.CreateUserAsync(Roles.Agent);
        using var thisBrowser = await fixture.NewClientAsync(email, password);
        using var otherBrowser = await fixture.NewClientAsync(email, password);
        const string newPassword = "Brand-new-Passw0rd!";

        var response = await ChangePasswordAsync(thisBrowser, PasswordForm(password, newPassword));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"password-changed\"", await response.Content.ReadAsStringAsync());
        Assert.Contains(SetCookies(response), c => c.StartsWith(DashboardClient.AuthCookie + "="));
        Assert.Equal(HttpStatusCode.OK, (await thisBrowser.GetAsync("/inbox")).StatusCode);
        Assert.True(DashboardClient.IsRedirectTo(await otherBrowser.GetAsync("/inbox"), "/account/login"));

        using var fresh = await fixture.NewClientAsync();
        Assert.StartsWith("/account/login?error=invalid", DashboardClient.RedirectTarget(await fresh.TrySignInAsync(email, password)));
        Assert.True(DashboardClient.IsRedirectTo(await fresh.TrySignInAsync(email, newPassword), "/"));
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_ShowsErrorAndKeepsThePassword()
    {
        var (_, email, password) = await fixture.CreateUserAsync(Roles.Manager);
        using var client = await fixture.NewClientAsync(email, password);

        var response = await ChangePasswordAsync(client, PasswordForm("not-my-password", "Brand-new-Passw0rd!"));

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("The current password is incorrect.", html);
        Assert.DoesNotContain("data-testid=\"password-changed\"", html);
        using var fresh = await fixture.NewClientAsync();
        Assert.True(DashboardClient.IsRedirectTo(await fresh.TrySignInAsync(email, password), "/"));
    }

    [Theory]
    [InlineData("Brand-new-Passw0rd!", "Different-Passw0rd!", "do not match")]
    [InlineData("short", null, "at least 10 characters")]
    [InlineData("alllowercase-no-digits", null, "digit")]
    public async Task ChangePassword_BadNewPassword_ShowsTheRule(string next, string? confirm, string expected)
    {
        var (_, email, password) = await fixture.CreateUserAsync(Roles.Agent);
        using var client = await fixture.NewClientAsync(email, password);

        var response = await ChangePasswordAsync(client, PasswordForm(password, next, confirm));

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(expected, html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("data-testid=\"password-changed\"", html);
    }

    [Fact]
    public async Task ChangePassword_Valid_IsAudited()
    {
        var (id, email, password) = await fixture.CreateUserAsync(Roles.Agent);
        using var client = await fixture.NewClientAsync(email, password);
        await ChangePasswordAsync(client, PasswordForm(password, "Audited-Passw0rd!"));

        await using var scope = fixture.Server.ScopeFor(SecurityServerFixture.DemoOrganization);
        var entries = await scope.Get<AuditLog>().SearchAsync(new AuditFilter(AuditEntityTypes.User, AuditActions.PasswordChanged), 0, 100);
        var entry = Assert.Single(entries.Entries, e => e.EntityId == id);
        Assert.Equal(email, entry.UserName);
    }

    [Theory]
    [InlineData("lock")]
    [InlineData("role")]
    [InlineData("reset")]
    [InlineData("delete")]
    public async Task AdminChange_EndsTheUsersOpenSession(string change)
    {
        var (id, email, password) = await fixture.CreateUserAsync(Roles.Agent);
        using var client = await fixture.NewClientAsync(email, password);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/inbox")).StatusCode);

        await using (var scope = fixture.Server.ScopeFor(SecurityServerFixture.DemoOrganization, "admin@demo.octocom.local"))
        {
            var admin = scope.Get<UserAdminService>();
            var result = change switch
            {
                "lock" => await admin.SetLockedAsync(id, locked: true),
                "role" => await admin.ChangeRoleAsync(id, Roles.Manager),
                "reset" => await admin.ResetPasswordAsync(id, "Reset-by-admin-Passw0rd!"),
                _ => await admin.DeleteAsync(id),
            };
            Assert.True(result.Succeeded, result.ErrorText);
        }

        Assert.True(DashboardClient.IsRedirectTo(await client.GetAsync("/inbox"), "/account/login"));
    }

    [Fact]
    public async Task Logout_WithToken_EndsTheSession()
    {
        using var client = await fixture.NewClientAsync(SecurityServerFixture.DemoUser(Roles.Agent));
        var response = await client.SubmitFormAsync("/account/password", "[data-testid=password-form]", new Dictionary<string, string>(),
            actionOverride: "/account/logout");

        Assert.True(DashboardClient.IsRedirectTo(response, "/account/login"));
        Assert.False(client.HasAuthCookie);
        Assert.True(DashboardClient.IsRedirectTo(await client.GetAsync("/inbox"), "/account/login"));
    }
}
