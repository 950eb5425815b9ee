using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Tests.TestInfrastructure;

/// <summary>
/// The whole dashboard on a real Kestrel socket (127.0.0.1, random port) over a fresh SQLite file with demo data —
/// for Playwright and HTTP API tests. Demo users: admin|agent|manager@demo.octocom.local and @globex.example,
/// password <see cref="TestSettings.DemoPassword"/>.
/// </summary>
public class DashboardServer : WebApplicationFactory<Program>
{
    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, string?> _settings;

    public DashboardServer() : this(null) { }

    public DashboardServer(IDictionary<string, string?>? settings, int demoConversations = 40)
    {
        _settings = TestSettings.For(_dir, demoData: true, demoConversations, settings);
        UseKestrel(0);
        StartServer();
        BaseUrl = LoopbackServer.BaseUrl(Services);
    }

    /// <summary>e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string BaseUrl { get; }

    public TempDirectory Directory => _dir;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_settings));
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    public AsyncServiceScope ScopeFor(int organizationId, string actor = "test") =>
        Services.GetRequiredService<TenantScopes>().Create(organizationId, actor);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _dir.Dispose();
    }
}
