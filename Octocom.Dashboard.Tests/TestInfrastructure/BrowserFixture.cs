using Microsoft.Playwright;

namespace Octocom.Dashboard.Tests.TestInfrastructure;

/// <summary>One headless Debian Chromium for a test class (Playwright cannot download browsers here).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: run `apt-get install -y chromium` (the README's test command does).");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh browser context (own cookies and localStorage) with a page, 1400×900.</summary>
    public async Task<IPage> NewPageAsync(string? baseUrl = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

public static class PageExtensions
{
    /// <summary>Signs in through the real login form and waits for the interactive app.</summary>
    public static async Task LoginAsync(this IPage page, string baseUrl, string email, string? returnUrl = null)
    {
        await page.GotoAsync($"{baseUrl}/account/login{(returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl))}");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", TestSettings.DemoPassword);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForSelectorAsync("[data-testid=current-user]");
        await page.WaitForBlazorAsync();
    }

    /// <summary>Waits until the Blazor Server circuit has rendered (MainLayout marks the body), so clicks reach the server.</summary>
    public static Task WaitForBlazorAsync(this IPage page) =>
        page.WaitForFunctionAsync("() => document.body.dataset.interactive === 'true'");

    public static async Task ScreenshotToAsync(this IPage page, string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }
}
