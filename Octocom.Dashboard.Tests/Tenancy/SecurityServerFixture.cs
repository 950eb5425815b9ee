using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Audit;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Functions;
using Octocom.Dashboard.Secrets;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Tenancy;

[CollectionDefinition(Name)]
public sealed class SecurityCollection : ICollectionFixture<SecurityServerFixture>
{
    public const string Name = "Security over HTTP";
}

/// <summary>
/// One dashboard on real Kestrel for the HTTP security tests, with demo data in two organizations ("demo" = 1,
/// "globex" = 2) and a few known rows in "demo" whose text must never appear to "globex" users. Sessions are
/// re-validated on every request (SessionValidationInterval 0) so tests can observe sessions ending at once.
/// </summary>
public sealed class SecurityServerFixture : IAsyncLifetime
{
    public const int DemoOrganization = 1;
    public const int GlobexOrganization = 2;
    public const string SecretName = "DEMO_ONLY_SECRET";
    public const string SecretValue = "plaintext-canary-4b1d9e";
    public const string AuditMarker = "demo-only-audit-marker-7c2e";
    public const string FunctionName = "Demo-only widget 3f9d";

    private readonly ConcurrentDictionary<string, Task<DashboardClient>> _clients = new();

    public DashboardServer Server { get; private set; } = default!;
    public string BaseUrl => Server.BaseUrl;

    /// <summary>Values substituted for {placeholders} in the rule tables.</summary>
    public Dictionary<string, string> Placeholders { get; } = new();

    public async Task InitializeAsync()
    {
        Server = new DashboardServer(new Dictionary<string, string?> { ["Accounts:SessionValidationInterval"] = "00:00:00" }, demoConversations: 20);
        await using var scope = Server.ScopeFor(DemoOrganization);
        await scope.ServiceProvider.GetRequiredService<ScriptSecretService>().SetAsync(SecretName, SecretValue);
        await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(AuditActions.Updated, AuditEntityTypes.Business, "1", AuditMarker);
        await using var db = scope.Db();
        var conversation = await db.Conversations.OrderBy(c => c.PublicId).FirstAsync();
        Placeholders["{conversation}"] = conversation.PublicId;
        Placeholders["{conversationId}"] = conversation.Id.ToString();
        Placeholders["{conversationSubject}"] = conversation.Subject;
        Placeholders["{secret}"] = SecretName;
        Placeholders["{auditMarker}"] = AuditMarker;
        var function = await scope.ServiceProvider.GetRequiredService<FunctionService>().CreateAsync(new FunctionDraft
        {
            Kind = FunctionKind.SidebarWidget,
            Name = FunctionName,
            Code = "def get_sidebar_data(context):\n    return {'title': 'x', 'items': []}\n",
        });
        Placeholders["{function}"] = function.Function!.Id.ToString();
        Placeholders["{functionName}"] = FunctionName;
    }

    public string Resolve(string text) => Placeholders.Aggregate(text, (s, p) => s.Replace(p.Key, p.Value));

    /// <summary>A signed-in client per user, shared by the read-only tests (don't sign it out; use <see cref="NewClientAsync"/>).</summary>
    public Task<DashboardClient> ClientFor(string email) => _clients.GetOrAdd(email, e => new DashboardClient(BaseUrl).SignInAsync(e));

    public async Task<DashboardClient> NewClientAsync(string? email = null, string password = TestSettings.DemoPassword)
    {
        var client = new DashboardClient(BaseUrl);
        return email is null ? client : await client.SignInAsync(email, password);
    }

    public static string DemoUser(string role) => $"{role.ToLowerInvariant()}@demo.octocom.local";
    public static string GlobexUser(string role) => $"{role.ToLowerInvariant()}@globex.example";

    /// <summary>Creates a throw-away user in an organization (tests that lock, delete or re-password someone).</summary>
    public async Task<(string Id, string Email, string Password)> CreateUserAsync(string role, int organizationId = DemoOrganization)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}"[..20] + "@demo.octocom.local";
        const string password = "Temp-Passw0rd!x";
        await using var scope = Server.ScopeFor(organizationId);
        var result = await scope.ServiceProvider.GetRequiredService<UserAdminService>().CreateAsync(new NewUser(email, "", role, password));
        Assert.True(result.Succeeded, result.ErrorText);
        return (result.UserId!, email, password);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values) (await client).Dispose();
        Server.Dispose();
    }
}
