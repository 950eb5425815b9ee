using Octocom.Dashboard.Data.Seeding;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Secrets;

/// <summary>A placeholder CRM_API_KEY per demo organization, so demo scripts can call get_secret("CRM_API_KEY").</summary>
public sealed class DemoSecretsContributor(TenantScopes scopes) : IDemoDataContributor
{
    public const string DemoSecretName = "CRM_API_KEY";

    public int Order => 10;

    public async Task ContributeAsync(DemoSeedContext context, CancellationToken ct)
    {
        foreach (var org in context.Organizations)
        {
            await using var scope = scopes.Create(org.Organization.Id, actor: "demo data");
            await scope.ServiceProvider.GetRequiredService<ScriptSecretService>()
                .SetAsync(DemoSecretName, $"demo-{org.Organization.Slug}-{context.Random.Next(100_000, 999_999)}", ct);
        }
    }
}
