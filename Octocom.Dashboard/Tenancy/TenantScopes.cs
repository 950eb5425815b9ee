using Microsoft.Extensions.DependencyInjection;

namespace Octocom.Dashboard.Tenancy;

/// <summary>Creates DI scopes that act for one organization — the way background services get tenant-filtered data.</summary>
public sealed class TenantScopes(IServiceScopeFactory scopeFactory)
{
    public AsyncServiceScope Create(int organizationId, string actor = "system")
    {
        var scope = scopeFactory.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().UseOrganization(organizationId, actor);
        return scope;
    }
}
