using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Data.Seeding;

/// <summary>
/// A feature's share of the demo data (users, scripts, …). Contributors run in <see cref="Order"/> after the core
/// seeder has created organizations, businesses and conversations, inside the same first-start seeding.
/// </summary>
public interface IDemoDataContributor
{
    int Order { get; }
    Task ContributeAsync(DemoSeedContext context, CancellationToken ct);
}

public sealed record DemoOrganization(Organization Organization, IReadOnlyList<Business> Businesses, string EmailDomain);

public sealed record DemoSeedContext(
    IServiceProvider Services,
    IReadOnlyList<DemoOrganization> Organizations,
    DemoDataOptions Options,
    Random Random);
