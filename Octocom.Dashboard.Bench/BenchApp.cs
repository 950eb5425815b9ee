using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Bench;

/// <summary>The dashboard's services over one SQLite file (demo organizations, no users), like the app's CLI host.</summary>
internal sealed class BenchApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private BenchApp(WebApplication app) => _app = app;
    public IServiceProvider Services => _app.Services;

    public static async Task<BenchApp> StartAsync(string database, string workDir, int mmapMegabytes)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DashboardApp).Assembly.GetName().Name,
            EnvironmentName = "Production",
            ContentRootPath = workDir,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={database}",
            ["Database:KeysPath"] = Path.Combine(workDir, "keys"),
            ["DemoData:CreateUsers"] = "false",
            ["DemoData:ConversationCount"] = "30",
            ["Analytics:KeyListCacheDuration"] = "00:00:00",
            ["Database:MmapSizeMb"] = mmapMegabytes.ToString(CultureInfo.InvariantCulture),
            // --sql: every SQL command with its duration on stderr (to study query plans).
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = Environment.GetCommandLineArgs().Contains("--sql") ? "Information" : "Warning",
        });
        builder.AddDashboard(cli: true);
        var app = builder.Build();
        await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return new BenchApp(app);
    }

    public async Task<int> OrganizationIdAsync(string slug)
    {
        await using var scope = Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync();
        return await db.Organizations.Where(o => o.Slug == slug).Select(o => o.Id).SingleAsync();
    }

    /// <summary>A service resolved in a scope acting for one organization, as a signed-in user's request would get it.</summary>
    public (IAsyncDisposable? Scope, T Service) ServiceFor<T>(int organizationId) where T : notnull
    {
        var scope = Services.GetRequiredService<TenantScopes>().Create(organizationId);
        return (scope, scope.ServiceProvider.GetRequiredService<T>());
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
