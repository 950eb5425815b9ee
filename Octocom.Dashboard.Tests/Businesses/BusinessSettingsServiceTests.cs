using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Businesses;

public sealed class BusinessSettingsServiceTests : IAsyncLifetime
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

    private async Task<BusinessSaveResult> CreateAsync(TestData.Tenant tenant, string name, string slug, string origins = "")
    {
        await using var scope = _app.ScopeFor(tenant.OrganizationId, "admin@test");
        return await scope.Get<BusinessSettingsService>().CreateAsync(new BusinessForm { Name = name, Slug = slug, AllowedOrigins = origins });
    }

    [Fact]
    public async Task Create_ValidForm_StoresTheBusinessWithNormalizedOriginsAndAnAuditEntry()
    {
        var result = await CreateAsync(_acme, "  Acme Outlet ", "Acme-Outlet", "https://Outlet.Acme.example/\nhttp://localhost:3000");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var stored = await _app.QueryAsync(_acme.OrganizationId, db => db.Businesses.SingleAsync(b => b.Slug == "acme-outlet"));
        Assert.Equal("Acme Outlet", stored.Name);
        Assert.Equal("https://outlet.acme.example\nhttp://localhost:3000", stored.AllowedOrigins);
        var audit = await _app.QueryAsync(_acme.OrganizationId, db => db.AuditEntries.SingleAsync());
        Assert.Equal(("created", "Business", stored.Id.ToString(), "admin@test"), (audit.Action, audit.EntityType, audit.EntityId, audit.UserName));
    }

    [Fact]
    public async Task Create_SlugTakenByAnotherOrganization_IsRefused()
    {
        var result = await CreateAsync(_acme, "Copycat", _globex.BusinessSlug);

        Assert.False(result.Succeeded);
        Assert.Contains("already taken", Assert.Single(result.Errors));
    }

    [Theory]
    [InlineData("Shop With Spaces")]
    [InlineData("-leading")]
    [InlineData("double--hyphen")]
    [InlineData("x")]
    public async Task Create_InvalidSlug_IsRefusedWithAReadableError(string slug)
    {
        var result = await CreateAsync(_acme, "Shop", slug);
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.StartsWith("Slug"));
    }

    [Theory]
    [InlineData("shop.example")]
    [InlineData("https://shop.example/path")]
    [InlineData("ftp://shop.example")]
    [InlineData("https://shop.example?x=1")]
    public async Task Create_InvalidOrigin_IsRefusedNamingIt(string origin)
    {
        var result = await CreateAsync(_acme, "Shop", "new-shop", "https://ok.example\n" + origin);

        Assert.False(result.Succeeded);
        Assert.Contains(origin, Assert.Single(result.Errors));
    }

    [Fact]
    public async Task Update_AnotherOrganizationsBusiness_IsRefusedAndUnchanged()
    {
        await using var scope = _app.ScopeFor(_acme.OrganizationId);
        var result = await scope.Get<BusinessSettingsService>().UpdateAsync(_globex.BusinessId,
            new BusinessForm { Name = "Hijacked", Slug = "hijacked" });

        Assert.False(result.Succeeded);
        var globex = await _app.QueryAsync(_globex.OrganizationId, db => db.Businesses.SingleAsync());
        Assert.Equal(_globex.BusinessSlug, globex.Slug);
    }

    [Fact]
    public async Task Update_AllowedOrigins_TakeEffectInThePublicDirectoryAtOnce()
    {
        var directory = _app.Services.GetRequiredService<PublicBusinessDirectory>();
        Assert.True((await directory.FindAsync(_acme.BusinessSlug))!.AllowsAnyOrigin);

        await using (var scope = _app.ScopeFor(_acme.OrganizationId))
        {
            var result = await scope.Get<BusinessSettingsService>().UpdateAsync(_acme.BusinessId,
                new BusinessForm { Name = "Acme", Slug = _acme.BusinessSlug, AllowedOrigins = "https://acme.example" });
            Assert.True(result.Succeeded);
        }

        Assert.Equal(["https://acme.example"], (await directory.FindAsync(_acme.BusinessSlug))!.AllowedOrigins);
    }

    [Fact]
    public async Task PublicDirectory_FindsBusinessesOfEveryOrganizationBySlugOnly()
    {
        var directory = _app.Services.GetRequiredService<PublicBusinessDirectory>();

        var globex = await directory.FindAsync("GLOBEX-SHOP");

        Assert.Equal((_globex.BusinessId, _globex.OrganizationId), (globex!.Id, globex.OrganizationId));
        Assert.Null(await directory.FindAsync("missing-shop"));
    }

    [Fact]
    public async Task List_ShowsOnlyTheCurrentOrganizationsBusinesses()
    {
        await using var scope = _app.ScopeFor(_acme.OrganizationId);
        var businesses = await scope.Get<BusinessSettingsService>().ListAsync();
        Assert.Equal([_acme.BusinessSlug], businesses.Select(b => b.Slug));
    }
}
