using Microsoft.Playwright;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.E2E;

/// <summary>Real Kestrel + Debian Chromium: what each role sees after signing in, signing out, and the admin settings pages.</summary>
[Collection(E2ECollection.Name)]
public sealed class AccountsE2ETests(BrowserFixture browser, DashboardServerFixture server)
{
    private ILocator Nav(IPage page) => page.Locator("[data-testid=nav]");

    private async Task<IPage> SignedInAsync(string email, string returnUrl = "/inbox")
    {
        var page = await browser.NewPageAsync();
        await page.LoginAsync(server.BaseUrl, email, returnUrl);
        return page;
    }

    [Fact]
    public async Task Admin_SeesInboxAnalyticsAutomationAndSettings()
    {
        var page = await SignedInAsync("admin@demo.octocom.local");
        var nav = Nav(page);

        await Assertions.Expect(nav.Locator("[data-testid=nav-inbox]")).ToBeVisibleAsync();
        await Assertions.Expect(nav.Locator("[data-testid=nav-analytics]")).ToBeVisibleAsync();
        await Assertions.Expect(nav.GetByText("Automation")).ToBeVisibleAsync();
        await Assertions.Expect(nav.Locator("[data-testid=nav-scripts]")).ToBeVisibleAsync();
        await Assertions.Expect(nav.GetByText("Settings")).ToBeVisibleAsync();
        await nav.GetByText("Settings").ClickAsync();
        await Assertions.Expect(nav.Locator("[data-testid=nav-users]")).ToBeVisibleAsync();
        await Assertions.Expect(nav.Locator("[data-testid=nav-secrets]")).ToBeVisibleAsync();
        await Assertions.Expect(nav.Locator("[data-testid=nav-audit]")).ToBeVisibleAsync();
        await page.ScreenshotToAsync("nav-admin");
    }

    [Fact]
    public async Task Agent_SeesInboxOnly()
    {
        var page = await SignedInAsync("agent@demo.octocom.local");
        var nav = Nav(page);

        await Assertions.Expect(nav.Locator("[data-testid=nav-inbox]")).ToBeVisibleAsync();
        await Assertions.Expect(nav.Locator("[data-testid=nav-password]")).ToBeVisibleAsync();
        await Assertions.Expect(nav.Locator("[data-testid=nav-analytics]")).ToHaveCountAsync(0);
        await Assertions.Expect(nav.GetByText("Automation")).ToHaveCountAsync(0);
        await Assertions.Expect(nav.GetByText("Settings")).ToHaveCountAsync(0);
        await Assertions.Expect(nav.Locator("[data-testid=nav-scripts], [data-testid=nav-users], [data-testid=nav-secrets]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Manager_SeesInboxAndAnalytics()
    {
        var page = await SignedInAsync("manager@demo.octocom.local");
        var nav = Nav(page);

        await Assertions.Expect(nav.Locator("[data-testid=nav-inbox]")).ToBeVisibleAsync();
        await Assertions.Expect(nav.Locator("[data-testid=nav-analytics]")).ToBeVisibleAsync();
        await Assertions.Expect(nav.GetByText("Automation")).ToHaveCountAsync(0);
        await Assertions.Expect(nav.GetByText("Settings")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Agent_OpeningAnAdminPage_SeesAccessDenied()
    {
        var page = await SignedInAsync("agent@demo.octocom.local");
        await page.GotoAsync($"{server.BaseUrl}/settings/secrets");
        Assert.Contains("/account/access-denied", page.Url);
        await Assertions.Expect(page.GetByText("You don't have access to this page")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var page = await SignedInAsync("agent@demo.octocom.local");

        await page.ClickAsync("[data-testid=logout]");

        await page.WaitForURLAsync("**/account/login**");
        await Assertions.Expect(page.Locator("[data-testid=login-form]")).ToBeVisibleAsync();
        await page.GotoAsync($"{server.BaseUrl}/inbox");
        Assert.Contains("/account/login", page.Url);
    }

    [Fact]
    public async Task Admin_AddsReplacesAndDeletesASecret_ValueIsNeverShown()
    {
        const string name = "E2E_SHIPPING_TOKEN";
        const string value = "e2e-plaintext-value-5a7c";
        var page = await SignedInAsync("admin@demo.octocom.local", "/settings/secrets");
        await page.WaitForSelectorAsync("[data-testid=secrets-table]");

        await page.FillAsync("input[data-testid=new-secret-name]", "bad name");
        await page.FillAsync("[data-testid=new-secret-form] input[data-testid=secret-value]", value);
        await page.ClickAsync("[data-testid=new-secret-submit]");
        await Assertions.Expect(page.GetByText("letters, digits and underscores")).ToBeVisibleAsync();

        await page.FillAsync("input[data-testid=new-secret-name]", name);
        await page.ClickAsync("[data-testid=new-secret-submit]");
        var row = page.Locator("tr", new() { Has = page.Locator("[data-testid=secret-name]", new() { HasTextString = name }) });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("[data-testid=secret-updated]")).ToContainTextAsync("admin@demo.octocom.local");
        await Assertions.Expect(page.Locator("[data-testid=new-secret-form] input[data-testid=secret-value]")).ToHaveValueAsync("");
        Assert.DoesNotContain(value, await page.ContentAsync());
        await page.ScreenshotToAsync("secrets");

        await row.Locator("[data-testid=secret-replace]").ClickAsync();
        await page.FillAsync("[data-testid=replace-secret-dialog] input[data-testid=secret-value], .mud-dialog input[data-testid=secret-value]", "replaced-value-1");
        await page.ClickAsync("[data-testid=replace-secret-submit]");
        await Assertions.Expect(page.GetByText($"Replaced the value of {name}")).ToBeVisibleAsync();

        await page.ReloadAsync();
        await page.WaitForBlazorAsync();
        var html = await page.ContentAsync();
        Assert.DoesNotContain(value, html);
        Assert.DoesNotContain("replaced-value-1", html);

        await row.Locator("[data-testid=secret-delete]").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);

        await page.GotoAsync($"{server.BaseUrl}/settings/audit?type=ScriptSecret&q={name}");
        await page.WaitForBlazorAsync();
        await Assertions.Expect(page.Locator("[data-testid=audit-entry]")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid=audit-entry]").First).ToContainTextAsync($"Deleted secret {name}");
        await page.ScreenshotToAsync("audit");
    }

    [Fact]
    public async Task Admin_CreatesAUserWhoCanSignIn_ThenLocksThem()
    {
        var email = $"e2e-{Guid.NewGuid():N}"[..12] + "@demo.octocom.local";
        const string password = "E2e-initial-Passw0rd!";
        var page = await SignedInAsync("admin@demo.octocom.local", "/settings/users");
        await page.WaitForSelectorAsync("[data-testid=users-table]");

        await page.FillAsync("input[data-testid=new-user-email]", email);
        await page.FillAsync("input[data-testid=new-user-name]", "E2E Agent");
        await page.FillAsync("input[data-testid=new-user-password]", password);
        await page.ClickAsync("[data-testid=new-user-submit]");
        var row = page.Locator("tr", new() { Has = page.Locator($"[data-testid=user-row][data-email='{email}']") });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync(Roles.Agent);
        await Assertions.Expect(page.Locator("input[data-testid=new-user-email]")).ToHaveValueAsync("");
        await Assertions.Expect(page.Locator("[data-testid=new-user-form]")).ToContainTextAsync(Roles.Agent); // role back to its default
        await page.ScreenshotToAsync("users");

        var newUser = await browser.NewPageAsync();
        await newUser.GotoAsync($"{server.BaseUrl}/account/login?returnUrl=%2Finbox");
        await newUser.FillAsync("#email", email);
        await newUser.FillAsync("#password", password);
        await newUser.ClickAsync("[data-testid=login-submit]");
        await Assertions.Expect(newUser.Locator("[data-testid=current-user]")).ToHaveTextAsync("E2E Agent");

        await row.Locator("[data-testid=user-lock]").ClickAsync();
        await Assertions.Expect(row.Locator("[data-testid=user-status]")).ToHaveTextAsync("Locked");
        var locked = await browser.NewPageAsync();
        await locked.GotoAsync($"{server.BaseUrl}/account/login");
        await locked.FillAsync("#email", email);
        await locked.FillAsync("#password", password);
        await locked.ClickAsync("[data-testid=login-submit]");
        await Assertions.Expect(locked.Locator("[data-testid=login-error]")).ToContainTextAsync("locked");
    }

    [Fact]
    public async Task ChangePassword_InTheBrowser_KeepsTheUserSignedIn()
    {
        var email = $"pw-{Guid.NewGuid():N}"[..10] + "@demo.octocom.local";
        await using (var scope = server.Server.ScopeFor(1))
            Assert.True((await scope.Get<UserAdminService>().CreateAsync(new NewUser(email, "Password Changer", Roles.Agent, TestSettings.DemoPassword))).Succeeded);
        var page = await SignedInAsync(email);

        await page.ClickAsync("[data-testid=nav-password]");
        await page.WaitForSelectorAsync("[data-testid=password-form]");
        await page.FillAsync("#current-password", TestSettings.DemoPassword);
        await page.FillAsync("#new-password", "Changed-in-browser-1!");
        await page.FillAsync("#confirm-password", "Changed-in-browser-1!");
        await page.ClickAsync("[data-testid=password-submit]");
        await Assertions.Expect(page.Locator("[data-testid=password-changed]")).ToBeVisibleAsync();
        await page.ScreenshotToAsync("change-password");

        await page.ClickAsync("[data-testid=back-to-dashboard]");
        await Assertions.Expect(page.Locator("[data-testid=current-user]")).ToHaveTextAsync("Password Changer");
    }
}
