namespace Octocom.Dashboard.Tenancy;

public static class TenancyExtensions
{
    /// <summary>
    /// The current tenant (<see cref="TenantContext"/>, one per scope, read by the DbContext's query filters), scopes for
    /// one organization for background work (<see cref="TenantScopes"/>) and organization lookups.
    /// </summary>
    public static IHostApplicationBuilder AddTenancy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<TenantContext>();
        builder.Services.AddSingleton<TenantScopes>();
        builder.Services.AddScoped<OrganizationService>();
        return builder;
    }
}
