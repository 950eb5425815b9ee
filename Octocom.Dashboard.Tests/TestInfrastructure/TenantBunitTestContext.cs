using Microsoft.Extensions.DependencyInjection;

namespace Octocom.Dashboard.Tests.TestInfrastructure;

/// <summary>
/// A bUnit context over the dashboard's real services for one organization: a migrated SQLite <see cref="TestApp"/>,
/// a tenant in it and a scope acting for that tenant. Subclasses register the services their component injects from
/// <see cref="Scope"/> after <c>base.InitializeAsync()</c>.
/// </summary>
public abstract class TenantBunitTestContext : BunitTestContext
{
    protected TestApp App { get; private set; } = default!;
    protected TestData.Tenant Tenant { get; private set; } = default!;
    protected AsyncServiceScope Scope { get; private set; }

    /// <summary>Who the scope acts as (recorded by audited services).</summary>
    protected virtual string Actor => "test";

    /// <summary>Settings on top of the test defaults.</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    public override async Task InitializeAsync()
    {
        App = await TestApp.CreateAsync(settings: Settings);
        Tenant = await App.CreateTenantAsync();
        Scope = App.ScopeFor(Tenant.OrganizationId, Actor);
    }

    protected override async Task CleanupAsync()
    {
        await Scope.DisposeAsync();
        await App.DisposeAsync();
    }
}
