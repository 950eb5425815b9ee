using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Analytics.SavedViews;
using Octocom.Dashboard.Tenancy;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Analytics.SavedViews;

public sealed class SavedViewServiceTests : IAsyncLifetime
{
    private TestApp _app = default!;
    private TestData.Tenant _acme = default!;
    private TestData.Tenant _globex = default!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.CreateAsync();
        _acme = await _app.CreateTenantAsync("acme", "acme-shop");
        _globex = await _app.CreateTenantAsync("globex", "globex-shop");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A scope acting as a signed-in user, like a Blazor circuit.</summary>
    private AsyncServiceScope As(string userId, TestData.Tenant tenant)
    {
        var scope = _app.AnonymousScope();
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
        await using var scope = As("ann", _acme);
        var views = scope.Get<SavedViewService>();
        await views.SaveAsync("Enterprise", "?c0.key=plan&c0.op=eq&c0.v=enterprise");
        await views.SaveAsync(" Enterprise ", "c0.key=plan&c0.op=eq&c0.v=pro");
        var view = Assert.Single(await views.ListAsync());
        Assert.Equal(("Enterprise", "c0.key=plan&c0.op=eq&c0.v=pro"), (view.Name, view.Query));
    }

    [Fact]
    public async Task List_OtherUsersAndOrganizations_AreInvisible()
    {
        await using (var ann = As("ann", _acme)) await ann.Get<SavedViewService>().SaveAsync("Mine", "segment=x");
        await using (var bob = As("bob", _acme))
        {
            Assert.Empty(await bob.Get<SavedViewService>().ListAsync());
        }
        await using (var annElsewhere = As("ann", _globex))
        {
            Assert.Empty(await annElsewhere.Get<SavedViewService>().ListAsync());
        }
    }

    [Fact]
    public async Task Delete_AnotherUsersView_DoesNothing()
    {
        int id;
        await using (var ann = As("ann", _acme)) id = (await ann.Get<SavedViewService>().SaveAsync("Mine", "segment=x")).Id;
        await using (var bob = As("bob", _acme)) Assert.False(await bob.Get<SavedViewService>().DeleteAsync(id));
        await using (var ann = As("ann", _acme))
        {
            Assert.Single(await ann.Get<SavedViewService>().ListAsync());
            Assert.True(await ann.Get<SavedViewService>().DeleteAsync(id));
            Assert.Empty(await ann.Get<SavedViewService>().ListAsync());
        }
    }

    [Fact]
    public async Task Save_BadNameOrQuery_IsRejectedWithTheLimit()
    {
        await using var scope = As("ann", _acme);
        var views = scope.Get<SavedViewService>();
        Assert.Equal("A view name is 1 to 200 characters.", (await Assert.ThrowsAsync<ArgumentException>(() => views.SaveAsync("  ", "x"))).Message);
        Assert.Contains("8,000", (await Assert.ThrowsAsync<ArgumentException>(() => views.SaveAsync("big", new string('a', 8001)))).Message);
    }
}
