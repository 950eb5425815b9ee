using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Conversations;

public sealed class InboxServiceTests : TwoTenantTest
{
    protected override async Task SeedAsync()
    {
        await App.CreateConversationAsync(Acme, "AAA111", "Where is my parcel?", Channels.Email,
            new Customer { Email = "jane@example.com", Name = "Jane Doe" });
        await App.CreateConversationAsync(Acme, "BBB222", "Refund for jacket", Channels.Web, status: ConversationStatus.Closed);
        for (var i = 0; i < 30; i++)
            await App.CreateConversationAsync(Acme, subject: $"Bulk question {i}", channel: Channels.Instagram);
        await App.CreateConversationAsync(Globex, "ZZZ999", "Other tenant's refund");
    }

    private async Task<InboxPage> SearchAsync(InboxFilter filter, int page = 0, int size = 25, TestData.Tenant? tenant = null)
    {
        await using var scope = App.ScopeFor((tenant ?? Acme).OrganizationId);
        return await scope.Get<InboxService>().SearchAsync(filter, page, size);
    }

    [Fact]
    public async Task Search_PagesServerSide()
    {
        var first = await SearchAsync(new InboxFilter(), 0, 25);
        var second = await SearchAsync(new InboxFilter(), 1, 25);
        Assert.Equal(32, first.Total);
        Assert.Equal(25, first.Rows.Count);
        Assert.Equal(7, second.Rows.Count);
        Assert.Empty(first.Rows.Select(r => r.Id).Intersect(second.Rows.Select(r => r.Id)));
    }

    [Theory]
    [InlineData("aaa111", "AAA111")]
    [InlineData("#BBB222", "BBB222")]
    [InlineData("parcel", "AAA111")]
    [InlineData("JANE@example", "AAA111")]
    public async Task Search_ByPublicIdSubjectOrCustomerEmail(string term, string expected)
    {
        var page = await SearchAsync(new InboxFilter(Search: term));
        Assert.Equal(expected, Assert.Single(page.Rows).PublicId);
    }

    [Fact]
    public async Task Row_ShowsTheLastMessageAsPlainText()
    {
        var row = Assert.Single((await SearchAsync(new InboxFilter(Search: "AAA111"))).Rows);
        await using (var scope = App.ScopeFor(Acme.OrganizationId))
            await scope.Get<MessageService>().AddAgentReplyAsync(row.Id, "Your refund is **approved** — see [status](https://example.com/s).", "Agent");

        var updated = Assert.Single((await SearchAsync(new InboxFilter(Search: "AAA111"))).Rows);
        Assert.Equal("Your refund is approved — see status.", updated.LastMessagePreview);
    }

    [Fact]
    public async Task Search_AnExactPublicId_FindsThatConversationOnly()
    {
        await App.CreateConversationAsync(Acme, "CCC333", "Question");
        await App.CreateConversationAsync(Acme, subject: "Follow-up to ccc333");

        Assert.Equal("CCC333", Assert.Single((await SearchAsync(new InboxFilter(Search: "#ccc333"))).Rows).PublicId);
        Assert.Equal("Follow-up to ccc333", Assert.Single((await SearchAsync(new InboxFilter(Search: "up to ccc"))).Rows).Subject);
    }

    [Fact]
    public async Task Search_LikeWildcardsInTermAreLiteral()
    {
        Assert.Equal(0, (await SearchAsync(new InboxFilter(Search: "%"))).Total);
        Assert.Equal(0, (await SearchAsync(new InboxFilter(Search: "_"))).Total);
    }

    [Fact]
    public async Task Search_FiltersByStatusAndChannel()
    {
        Assert.Equal("BBB222", Assert.Single((await SearchAsync(new InboxFilter(Status: ConversationStatus.Closed))).Rows).PublicId);
        Assert.Equal(30, (await SearchAsync(new InboxFilter(Channel: Channels.Instagram))).Total);
        Assert.Equal("AAA111", Assert.Single((await SearchAsync(new InboxFilter(Channel: Channels.Email))).Rows).PublicId);
    }

    [Fact]
    public async Task Search_NeverReturnsAnotherOrganizationsConversations()
    {
        Assert.Equal(0, (await SearchAsync(new InboxFilter(Search: "ZZZ999"))).Total);
        Assert.Equal(1, (await SearchAsync(new InboxFilter(), tenant: Globex)).Total);
    }

    [Fact]
    public async Task Search_WithoutTenant_SeesNothing()
    {
        await using var scope = App.AnonymousScope();
        var page = await scope.Get<InboxService>().SearchAsync(new InboxFilter(), 0, 25);
        Assert.Equal(0, page.Total);
    }
}
