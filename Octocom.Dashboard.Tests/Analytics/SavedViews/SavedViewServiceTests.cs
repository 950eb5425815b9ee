using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Analytics.SavedViews;
using Octocom.Dashboard.Tenancy;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Analytics.SavedViews;

public sealed class SavedViewServiceTests : TwoTenantTest
{
    /// <summary>A scope acting as a signed-in user, like a Blazor circuit.</summary>
    private AsyncServiceScope As(string userId, TestData.Tenant tenant)
    {
        var scope = App.AnonymousScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().SetUser(new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ClaimTypes.Name, userId),
            new Claim(TenantContext.OrganizationClaim, tenant.OrganizationId.ToString()),
        ], "test")));
        return scope;
    }

    [Fact]
    public async Task Save_SameName_ReplacesTheQuery()
    {
        await using var scope = As("ann", Acme);
        var views = scope.Get<SavedViewService>();
        await views.SaveAsync("Enterprise", "?c0.key=plan&c0.op=eq&c0.v=enterprise");
        await views.SaveAsync(" Enterprise ", "c0.key=plan&c0.op=eq&c0.v=pro");
        var view = Assert.Single(await views.ListAsync());
        Assert.Equal(("Enterprise", "c0.key=plan&c0.op=eq&c0.v=pro"), (view.Name, view.Query));
    }

    [Fact]
    public async Task List_OtherUsersAndOrganizations_AreInvisible()
    {
        await using (var ann = As("ann", Acme)) await ann.Get<SavedViewService>().SaveAsync("Mine", "segment=x");
        await using (var bob = As("bob", Acme))
        {
            Assert.Empty(await bob.Get<SavedViewService>().ListAsync());
        }
        await using (var annElsewhere = As("ann", Globex))
        {
            Assert.Empty(await annElsewhere.Get<SavedViewService>().ListAsync());
        }
    }

    [Fact]
    public async Task Delete_AnotherUsersView_DoesNothing()
    {
        int id;
        await using (var ann = As("ann", Acme)) id = (await ann.Get<SavedViewService>().SaveAsync("Mine", "segment=x")).Id;
        await using (var bob = As("bob", Acme)) Assert.False(await bob.Get<SavedViewService>().DeleteAsync(id));
        await using (var ann = As("ann", Acme))
        {
            Assert.Single(await ann.Get<SavedViewService>().ListAsync());
            Assert.True(await ann.Get<SavedViewService>().DeleteAsync(id));
            Assert.Empty(await ann.Get<SavedViewService>().ListAsync());
        }
    }

    [Fact]
    public async Task Save_BadNameOrQuery_IsRejectedWithTheLimit()
    {
        await using var scope = As("ann", Acme);
        var views = scope.Get<SavedViewService>();
        Assert.Equal("A view name is 1 to 200 characters.", (await Assert.ThrowsAsync<ArgumentException>(() => views.SaveAsync("  ", "x"))).Message);
        Assert.Contains("8,000", (await Assert.ThrowsAsync<ArgumentException>(() => views.SaveAsync("big", new string('a', 8001)))).Message);
    }
}
