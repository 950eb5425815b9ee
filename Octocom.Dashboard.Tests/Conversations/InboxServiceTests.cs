using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Conversations;

public sealed class InboxServiceTests : IAsyncLifetime
{
    private TestApp _app = default!;
    private TestData.Tenant _acme = default!;
    private TestData.Tenant _other = default!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.CreateAsync();
        _acme = await _app.CreateTenantAsync();
        _other = await _app.CreateTenantAsync("other", "other-shop");
        await _app.CreateConversationAsync(_acme, "AAA111", "Where is my parcel?", Channels.Email,
            new Customer { Email = "jane@example.com", Name = "Jane Doe" });
        await _app.CreateConversationAsync(_acme, "BBB222", "Refund for jacket", Channels.Web, status: ConversationStatus.Closed);
        for (var i = 0; i < 30; i++)
            await _app.CreateConversationAsync(_acme, subject: $"Bulk question {i}", channel: Channels.Instagram);
        await _app.CreateConversationAsync(_other, "ZZZ999", "Other tenant's refund");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<InboxPage> SearchAsync(InboxFilter filter, int page = 0, int size = 25, TestData.Tenant? tenant = null)
    {
        await using var scope = _app.ScopeFor((tenant ?? _acme).OrganizationId);
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
        await using (var scope = _app.ScopeFor(_acme.OrganizationId))
            await scope.Get<MessageService>().AddAgentReplyAsync(row.Id, "Your refund is **approved** — see [status](https://example.com/s).", "Agent");

        var updated = Assert.Single((await SearchAsync(new InboxFilter(Search: "AAA111"))).Rows);
        Assert.Equal("Your refund is approved — see status.", updated.LastMessagePreview);
    }

    [Fact]
    public async Task Search_AnExactPublicId_FindsThatConversationOnly()
    {
        await _app.CreateConversationAsync(_acme, "CCC333", "Question");
        await _app.CreateConversationAsync(_acme, subject: "Follow-up to ccc333");

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
        Assert.Equal(1, (await SearchAsync(new InboxFilter(), tenant: _other)).Total);
    }

    [Fact]
    public async Task Search_WithoutTenant_SeesNothing()
    {
        await using var scope = _app.AnonymousScope();
        var page = await scope.Get<InboxService>().SearchAsync(new InboxFilter(), 0, 25);
        Assert.Equal(0, page.Total);
    }
}
