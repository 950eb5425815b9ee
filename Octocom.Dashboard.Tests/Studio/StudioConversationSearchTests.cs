using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Studio;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Studio;

[Collection(StudioAppCollection.Name)]
public sealed class StudioConversationSearchTests(StudioAppFixture fixture)
{
    [Fact]
    public async Task Search_ByPublicIdSubjectEmailOrGuid_FindsTheConversation()
    {
        var tenant = await fixture.NewTenantAsync();
        var target = await fixture.App.CreateConversationAsync(tenant, publicId: "QX7K2P", subject: "Broken zipper on my jacket",
            customer: new Customer { Email = "liam.smith@example.com" });
        await fixture.App.CreateConversationAsync(tenant, subject: "Something else");
        await using var scope = fixture.ScopeFor(tenant);
        var search = scope.Get<StudioConversationSearch>();

        foreach (var text in new[] { "QX7K", "#qx7k2p", "zipper", "LIAM.smith", target.Id.ToString() })
            Assert.Equal(target.Id, (await search.SearchAsync(null, text)).First().Id);
        Assert.Equal(2, (await search.SearchAsync(null, "")).Count);
        Assert.Empty(await search.SearchAsync(null, "no such thing"));
        Assert.Equal(target.Id, (await search.ResolveAsync("qx7k2p"))!.Id);
        Assert.Null(await search.ResolveAsync("QX7K")); // resolving needs the whole public ID
    }

    [Fact]
    public async Task Search_OtherOrganization_FindsNothing()
    {
        var tenant = await fixture.NewTenantAsync();
        var target = await fixture.App.CreateConversationAsync(tenant, subject: "Private matter");
        var other = await fixture.NewTenantAsync();
        await using var scope = fixture.ScopeFor(other);
        var search = scope.Get<StudioConversationSearch>();

        Assert.Empty(await search.SearchAsync(null, "Private"));
        Assert.Empty(await search.SearchAsync(null, target.Id.ToString()));
        Assert.Null(await search.ResolveAsync(target.PublicId));
    }
}
