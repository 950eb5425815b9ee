using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Businesses;

public sealed class BusinessSettingsServiceTests : TwoTenantTest
{
    private async Task<BusinessSaveResult> CreateAsync(TestData.Tenant tenant, string name, string slug, string origins = "")
    {
        await using var scope = App.ScopeFor(tenant.OrganizationId, "admin@test");
        return await scope.Get<BusinessSettingsService>().CreateAsync(new BusinessForm { Name = name, Slug = slug, AllowedOrigins = origins });
    }

    [Fact]
    public async Task Create_ValidForm_StoresTheBusinessWithNormalizedOriginsAndAnAuditEntry()
    {
        var result = await CreateAsync(Acme, "  Acme Outlet ", "Acme-Outlet", "https://Outlet.Acme.example/\nhttp://localhost:3000");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var stored = await App.QueryAsync(Acme.OrganizationId, db => db.Businesses.SingleAsync(b => b.Slug == "acme-outlet"));
        Assert.Equal("Acme Outlet", stored.Name);
        Assert.Equal("https://outlet.acme.example\nhttp://localhost:3000", stored.AllowedOrigins);
        var audit = await App.QueryAsync(Acme.OrganizationId, db => db.AuditEntries.SingleAsync());
        Assert.Equal(("created", "Business", stored.Id.ToString(), "admin@test"), (audit.Action, audit.EntityType, audit.EntityId, audit.UserName));
    }

    [Fact]
    public async Task Create_SlugTakenByAnotherOrganization_IsRefused()
    {
        var result = await CreateAsync(Acme, "Copycat", Globex.BusinessSlug);

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
        var result = await CreateAsync(Acme, "Shop", slug);
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
        var result = await CreateAsync(Acme, "Shop", "new-shop", "https://ok.example\n" + origin);

        Assert.False(result.Succeeded);
        Assert.Contains(origin, Assert.Single(result.Errors));
    }

    [Fact]
    public async Task Update_AnotherOrganizationsBusiness_IsRefusedAndUnchanged()
    {
        await using var scope = App.ScopeFor(Acme.OrganizationId);
        var result = await scope.Get<BusinessSettingsService>().UpdateAsync(Globex.BusinessId,
            new BusinessForm { Name = "Hijacked", Slug = "hijacked" });

        Assert.False(result.Succeeded);
        var globex = await App.QueryAsync(Globex.OrganizationId, db => db.Businesses.SingleAsync());
        Assert.Equal(Globex.BusinessSlug, globex.Slug);
    }

    [Fact]
    public async Task Update_AllowedOrigins_TakeEffectInThePublicDirectoryAtOnce()
    {
        var directory = App.Services.GetRequiredService<PublicBusinessDirectory>();
        Assert.True((await directory.FindAsync(Acme.BusinessSlug))!.AllowsAnyOrigin);

        await using (var scope = App.ScopeFor(Acme.OrganizationId))
        {
            var result = await scope.Get<BusinessSettingsService>().UpdateAsync(Acme.BusinessId,
                new BusinessForm { Name = "Acme", Slug = Acme.BusinessSlug, AllowedOrigins = "https://acme.example" });
            Assert.True(result.Succeeded);
        }

        Assert.Equal(["https://acme.example"], (await directory.FindAsync(Acme.BusinessSlug))!.AllowedOrigins);
    }

    [Fact]
    public async Task PublicDirectory_FindsBusinessesOfEveryOrganizationBySlugOnly()
    {
        var directory = App.Services.GetRequiredService<PublicBusinessDirectory>();

        var globex = await directory.FindAsync("GLOBEX-SHOP");

        Assert.Equal((Globex.BusinessId, Globex.OrganizationId), (globex!.Id, globex.OrganizationId));
        Assert.Null(await directory.FindAsync("missing-shop"));
    }

    [Fact]
    public async Task List_ShowsOnlyTheCurrentOrganizationsBusinesses()
    {
        await using var scope = App.ScopeFor(Acme.OrganizationId);
        var businesses = await scope.Get<BusinessSettingsService>().ListAsync();
        Assert.Equal([Acme.BusinessSlug], businesses.Select(b => b.Slug));
    }
}
