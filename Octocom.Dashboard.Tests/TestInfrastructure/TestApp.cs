using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Tests.TestInfrastructure;

/// <summary>
/// The dashboard's real service graph over a fresh, migrated SQLite file — no HTTP server. Service tests resolve
/// services from <see cref="ScopeFor"/> so they act for one organization exactly like a signed-in user's circuit.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly WebApplication _app;

    private TestApp(TempDirectory dir, WebApplication app)
    {
        _dir = dir;
        _app = app;
    }

    public IServiceProvider Services => _app.Services;
    public string DatabasePath => _dir.File("test.db");
    public TempDirectory Directory => _dir;

    /// <param name="demoData">Seed the demo organizations (with <paramref name="demoConversations"/> conversations).</param>
    public static async Task<TestApp> CreateAsync(bool demoData = false, int demoConversations = 30,
        IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var dir = new TempDirectory();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            EnvironmentName = "Testing",
            ContentRootPath = dir.Path,
        });
        builder.Configuration.AddInMemoryCollection(TestSettings.For(dir, demoData, demoConversations, settings));
        builder.AddDashboard(cli: true); // cli: quiet logging, no static web assets needed
        configure?.Invoke(builder);
        var app = builder.Build();
        await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return new TestApp(dir, app);
    }

    /// <summary>A DI scope acting for <paramref name="organizationId"/> (tenant filters apply).</summary>
    public AsyncServiceScope ScopeFor(int organizationId, string actor = "test") =>
        Services.GetRequiredService<TenantScopes>().Create(organizationId, actor);

    /// <summary>A scope with no tenant: tenant-owned queries return nothing (used to prove fail-closed filtering).</summary>
    public AsyncServiceScope AnonymousScope() => Services.CreateAsyncScope();

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _dir.Dispose();
    }
}

public static class TestSettings
{
    public const string DemoPassword = "Octocom-test-Passw0rd!";

    public static Dictionary<string, string?> For(TempDirectory dir, bool demoData, int demoConversations,
        IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={dir.File("test.db")}",
            ["Database:KeysPath"] = dir.File("keys"),
            ["DemoData:Enabled"] = demoData ? "true" : "false",
            ["DemoData:ConversationCount"] = demoConversations.ToString(),
            ["DemoData:UserPassword"] = DemoPassword,
        };
        if (overrides is not null)
            foreach (var (key, value) in overrides) settings[key] = value;
        return settings;
    }
}
