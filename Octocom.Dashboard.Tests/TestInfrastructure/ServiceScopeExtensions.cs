using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.Tests.TestInfrastructure;

public static class ServiceScopeExtensions
{
    public static T Get<T>(this AsyncServiceScope scope) where T : notnull => scope.ServiceProvider.GetRequiredService<T>();

    /// <summary>A DbContext bound to the scope's tenant (for arranging and asserting).</summary>
    public static DashboardDbContext Db(this AsyncServiceScope scope) =>
        scope.ServiceProvider.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContext();
}
