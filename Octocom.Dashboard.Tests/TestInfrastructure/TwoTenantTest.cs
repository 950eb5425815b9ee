using Microsoft.AspNetCore.Builder;

namespace Octocom.Dashboard.Tests.TestInfrastructure;

/// <summary>
/// Base of the service tests: the dashboard's real services over a fresh, migrated SQLite file (<see cref="TestApp"/>)
/// with two organizations — <see cref="Acme"/>, the one a test acts for, and <see cref="Globex"/>, the other tenant whose
/// data must never leak into Acme's answers (and the reverse). Subclasses add settings, services or data through the
/// overrides; xunit creates one per test.
/// </summary>
public abstract class TwoTenantTest : IAsyncLifetime
{
    protected TestApp App { get; private set; } = default!;

    /// <summary>Organization "acme" with business "acme-shop".</summary>
    protected TestData.Tenant Acme { get; private set; } = default!;

    /// <summary>Organization "globex" with business "globex-shop".</summary>
    protected TestData.Tenant Globex { get; private set; } = default!;

    /// <summary>Settings on top of the test defaults.</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    /// <summary>Changes to the app's services before it is built (e.g. an extra interceptor).</summary>
    protected virtual void Configure(WebApplicationBuilder builder) { }

    /// <summary>Data every test of the class needs, after both organizations exist.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        App = await TestApp.CreateAsync(settings: Settings, configure: Configure);
        Acme = await App.CreateTenantAsync("acme", "acme-shop");
        Globex = await App.CreateTenantAsync("globex", "globex-shop");
        await SeedAsync();
    }

    public virtual async Task DisposeAsync() => await App.DisposeAsync();
}
