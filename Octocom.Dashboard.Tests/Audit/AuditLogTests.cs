using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Audit;
using Octocom.Dashboard.Tenancy;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Audit;

public sealed class AuditLogTests : TwoTenantTest
{
    private async Task RecordAsync(TestData.Tenant tenant, string actor, string action, string type, string id, string summary)
    {
        await using var scope = App.ScopeFor(tenant.OrganizationId, actor);
        await scope.Get<AuditLog>().RecordAsync(action, type, id, summary);
    }

    private async Task<AuditResults> SearchAsync(AuditFilter filter, TestData.Tenant? tenant = null, int page = 0, int size = 50)
    {
        await using var scope = App.ScopeFor((tenant ?? Acme).OrganizationId);
        return await scope.Get<AuditLog>().SearchAsync(filter, page, size);
    }

    private async Task SeedAsync()
    {
        await RecordAsync(Acme, "alice@acme.test", AuditActions.Created, AuditEntityTypes.PythonFunction, "12", "Created sidebar widget Order status");
        await RecordAsync(Acme, "bob@acme.test", AuditActions.Updated, AuditEntityTypes.PythonFunction, "12", "Saved version 2 of Order status");
        await RecordAsync(Acme, "alice@acme.test", AuditActions.Deleted, AuditEntityTypes.ScriptSecret, "CRM_API_KEY", "Deleted secret CRM_API_KEY");
        await RecordAsync(Globex, "eve@other.test", AuditActions.Created, AuditEntityTypes.Business, "9", "Created business Other shop");
    }

    [Fact]
    public async Task Record_StampsOrganizationActorAndTime()
    {
        var before = DateTime.UtcNow.AddSeconds(-1);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            scope.Get<TenantContext>().SetUser(new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, "user-42"), new Claim(ClaimTypes.Name, "carol@acme.test"),
                new Claim(TenantContext.OrganizationClaim, Acme.OrganizationId.ToString()),
            ], "test")));
            await scope.Get<AuditLog>().RecordAsync(AuditActions.Activated, AuditEntityTypes.PythonFunction, "7", "Activated handler Sync CRM");
        }

        var entry = Assert.Single((await SearchAsync(new AuditFilter())).Entries);
        Assert.Equal((Acme.OrganizationId, "user-42", "carol@acme.test"), (entry.OrganizationId, entry.UserId, entry.UserName));
        Assert.Equal((AuditActions.Activated, AuditEntityTypes.PythonFunction, "7", "Activated handler Sync CRM"),
            (entry.Action, entry.EntityType, entry.EntityId, entry.Summary));
        Assert.InRange(entry.At, before, DateTime.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Record_WithoutOrganization_IsRefused()
    {
        await using var scope = App.AnonymousScope();
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            scope.Get<AuditLog>().RecordAsync(AuditActions.Created, AuditEntityTypes.User, "1", "no tenant"));
    }

    [Fact]
    public async Task Record_LongSummary_IsShortenedToTheColumnLimit()
    {
        await RecordAsync(Acme, "alice", AuditActions.Updated, AuditEntityTypes.PythonFunction, "1", new string('x', 5000));
        var entry = Assert.Single((await SearchAsync(new AuditFilter())).Entries);
        Assert.Equal(AuditLog.MaxSummaryLength, entry.Summary.Length);
        Assert.EndsWith("…", entry.Summary);
    }

    [Fact]
    public async Task Search_ReturnsOnlyTheOrganizationsEntriesNewestFirst()
    {
        await SeedAsync();

        var acme = await SearchAsync(new AuditFilter());
        var other = await SearchAsync(new AuditFilter(), Globex);

        Assert.Equal(3, acme.Total);
        Assert.Equal(["Deleted secret CRM_API_KEY", "Saved version 2 of Order status", "Created sidebar widget Order status"],
            acme.Entries.Select(e => e.Summary));
        Assert.Equal("Created business Other shop", Assert.Single(other.Entries).Summary);
    }

    [Theory]
    [InlineData(AuditEntityTypes.PythonFunction, null, null, null, 2)]
    [InlineData(null, AuditActions.Deleted, null, null, 1)]
    [InlineData(null, null, "ALICE", null, 2)]
    [InlineData(null, null, null, "order status", 2)]
    [InlineData(null, null, null, "crm_api", 1)]
    [InlineData(AuditEntityTypes.PythonFunction, null, "bob", null, 1)]
    [InlineData(AuditEntityTypes.Business, null, null, null, 0)]
    public async Task Search_Filters(string? type, string? action, string? user, string? text, int expected)
    {
        await SeedAsync();
        Assert.Equal(expected, (await SearchAsync(new AuditFilter(type, action, user, text))).Total);
    }

    [Fact]
    public async Task Search_Since_ExcludesOlderEntries()
    {
        await SeedAsync();
        Assert.Equal(3, (await SearchAsync(new AuditFilter(Since: DateTime.UtcNow.AddHours(-1)))).Total);
        Assert.Equal(0, (await SearchAsync(new AuditFilter(Since: DateTime.UtcNow.AddHours(1)))).Total);
    }

    [Fact]
    public async Task Search_Pages()
    {
        for (var i = 0; i < 7; i++)
            await RecordAsync(Acme, "alice", AuditActions.Updated, AuditEntityTypes.PythonFunction, "1", $"change {i}");

        var second = await SearchAsync(new AuditFilter(), page: 1, size: 5);

        Assert.Equal(7, second.Total);
        Assert.Equal(["change 1", "change 0"], second.Entries.Select(e => e.Summary));
    }

    [Fact]
    public async Task Actions_ListsTheOrganizationsDistinctActions()
    {
        await SeedAsync();
        await using var scope = App.ScopeFor(Acme.OrganizationId);
        Assert.Equal([AuditActions.Created, AuditActions.Deleted, AuditActions.Updated], await scope.Get<AuditLog>().ActionsAsync());
    }
}
