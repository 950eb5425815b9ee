using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.E2E;

/// <summary>End-to-end tests share one browser and one dashboard server (demo data, 40 conversations in "demo").</summary>
[CollectionDefinition(Name)]
public sealed class E2ECollection : ICollectionFixture<BrowserFixture>, ICollectionFixture<DashboardServerFixture>
{
    public const string Name = "E2E";
}

public sealed class DashboardServerFixture : IDisposable
{
    public DashboardServer Server { get; } = new();
    public string BaseUrl => Server.BaseUrl;
    public void Dispose() => Server.Dispose();
}
