using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Conversations.Assignment;
using Octocom.Dashboard.Conversations.Inbox;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Conversations.Inbox;

/// <summary>Mine / Unassigned / All views, their counts, sorts and per-agent unread state on real SQLite.</summary>
public sealed class InboxViewsTests : IAsyncLifetime
{
    private TestApp _app = default!;
    private TestData.Tenant _acme = default!;
    private TestData.Tenant _other = default!;
    private string _jane = "", _sam = "";
    private Conversation _janes = default!, _sams = default!, _open = default!, _handedOff = default!, _closed = default!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.CreateAsync();
        _acme = await _app.CreateTenantAsync();
        _other = await _app.CreateTenantAsync("other", "other-shop");
        _jane = await _app.CreateUserAsync(_acme, "Jane", Roles.Agent);
        _sam = await _app.CreateUserAsync(_acme, "Sam", Roles.Agent);
        _janes = await _app.CreateConversationAsync(_acme, "JAN001", "Jane's");
        _sams = await _app.CreateConversationAsync(_acme, "SAM001", "Sam's");
        _open = await _app.CreateConversationAsync(_acme, "OPN001", "Nobody's open");
        _handedOff = await _app.CreateConversationAsync(_acme, "HND001", "Nobody's handoff", status: ConversationStatus.HandedOff);
        _closed = await _app.CreateConversationAsync(_acme, "CLS001", "Closed", status: ConversationStatus.Closed);
        await _app.CreateConversationAsync(_other, "OTH001", "Another organization's");
        await using var scope = _app.ScopeForUser(_acme, _jane, "Jane");
        await scope.Get<AssignmentService>().AssignAsync(_janes.Id, _jane);
        await scope.Get<AssignmentService>().AssignAsync(_sams.Id, _sam);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<InboxPage> PageAsync(string userId, InboxFilter filter)
    {
        await using var scope = _app.ScopeForUser(_acme, userId, "agent");
        return await scope.Get<InboxService>().SearchAsync(filter, 0, 25);
    }

    private async Task<InboxCounts> CountsAsync(string userId, TestData.Tenant? tenant = null)
    {
        await using var scope = _app.ScopeForUser(tenant ?? _acme, userId, "agent");
        return await scope.Get<InboxService>().CountsAsync();
    }

    private static string[] Ids(InboxPage page) => page.Rows.Select(r => r.PublicId).Order().ToArray();

    [Fact]
    public async Task Views_SplitConversationsByAssignee()
    {
        Assert.Equal(["JAN001"], Ids(await PageAsync(_jane, new InboxFilter(View: InboxView.Mine))));
        Assert.Equal(["CLS001", "HND001", "OPN001"], Ids(await PageAsync(_jane, new InboxFilter(View: InboxView.Unassigned))));
        Assert.Equal(["CLS001", "HND001", "JAN001", "OPN001", "SAM001"], Ids(await PageAsync(_jane, new InboxFilter())));
    }

    [Fact]
    public async Task DefaultView_IsMineAndUnassigned_OpenOrHandedOff()
    {
        var page = await PageAsync(_jane, new InboxFilter(View: InboxView.MineAndUnassigned, ActiveOnly: true));
        Assert.Equal(["HND001", "JAN001", "OPN001"], Ids(page));
        Assert.True(Assert.Single(page.Rows, r => r.PublicId == "HND001").NeedsPickup);
        Assert.Equal("Jane", Assert.Single(page.Rows, r => r.PublicId == "JAN001").AssigneeName);
    }

    [Fact]
    public async Task Counts_PerView_CountOpenAndHandedOffOnly()
    {
        var counts = await CountsAsync(_jane);
        Assert.Equal(1, counts.Mine.Total);
        Assert.Equal(2, counts.Unassigned.Total);
        Assert.Equal(4, counts.All.Total);
        Assert.Equal(3, counts.For(InboxView.MineAndUnassigned).Total);
    }

    [Fact]
    public async Task Unread_UntilTheAgentOpensIt_AndAgainAfterANewCustomerMessage()
    {
        Assert.Equal(4, (await CountsAsync(_jane)).All.Unread); // every active conversation has a customer message Jane has not seen

        await using (var scope = _app.ScopeForUser(_acme, _jane, "Jane"))
            await scope.Get<ReadStateService>().MarkReadAsync(_open.Id);
        var afterRead = await CountsAsync(_jane);
        Assert.Equal(3, afterRead.All.Unread);
        Assert.Equal(1, afterRead.Unassigned.Unread);
        Assert.Equal(4, (await CountsAsync(_sam)).All.Unread); // read state is per agent
        Assert.False(Assert.Single((await PageAsync(_jane, new InboxFilter(Search: "OPN001"))).Rows).IsUnread);

        await Task.Delay(20); // timestamps must differ
        await using (var scope = _app.ScopeFor(_acme.OrganizationId))
        {
            await using var db = scope.Db();
            var conversation = await db.Conversations.FindAsync(_open.Id);
            scope.Get<MessageService>().Stage(db, conversation!, MessageSender.Customer, "Any news?", Channels.Web);
            await db.SaveChangesAsync();
        }
        Assert.Equal(4, (await CountsAsync(_jane)).All.Unread);
        Assert.True(Assert.Single((await PageAsync(_jane, new InboxFilter(Search: "OPN001"))).Rows).IsUnread);
    }

    [Fact]
    public async Task AgentReplies_DoNotMakeAConversationUnread()
    {
        await using (var scope = _app.ScopeForUser(_acme, _jane, "Jane"))
        {
            await scope.Get<ReadStateService>().MarkReadAsync(_janes.Id);
            await scope.Get<MessageService>().AddAgentReplyAsync(_janes.Id, "On its way!", "Jane");
        }
        Assert.Equal(0, (await CountsAsync(_jane)).Mine.Unread);
    }

    [Fact]
    public async Task ReadState_NeverLeaksAcrossOrganizations()
    {
        // The same user id acting in another organization: the acme conversation is not found there, nothing is marked.
        await using (var scope = _app.ScopeForUser(_other, _jane, "Jane"))
            await scope.Get<ReadStateService>().MarkReadAsync(_open.Id);
        Assert.Equal(4, (await CountsAsync(_jane)).All.Unread);
        var otherCounts = await CountsAsync(_jane, _other);
        Assert.Equal(1, otherCounts.All.Total);
        Assert.Equal(0, otherCounts.Mine.Total);
    }

    [Fact]
    public async Task Sort_OldestWaitingFirst_AnsweredLast()
    {
        await using (var scope = _app.ScopeForUser(_acme, _jane, "Jane"))
            await scope.Get<MessageService>().AddAgentReplyAsync(_handedOff.Id, "Looking into it.", "Jane");
        var page = await PageAsync(_jane, new InboxFilter(ActiveOnly: true, Sort: InboxSort.Waiting));
        Assert.Equal("HND001", page.Rows[^1].PublicId);
        Assert.All(page.Rows.Take(page.Rows.Count - 1), r => Assert.NotNull(r.WaitingSince));
        Assert.Null(page.Rows[^1].WaitingSince);
    }

    [Fact]
    public async Task RowsAsync_ReturnsOnlyChangedRowsThatStillBelongToTheView()
    {
        await using var scope = _app.ScopeForUser(_acme, _jane, "Jane");
        var unassigned = new InboxFilter(View: InboxView.Unassigned, ActiveOnly: true);
        await scope.Get<AssignmentService>().AssignToMeAsync(_open.Id);

        var rows = await scope.Get<InboxService>().RowsAsync(unassigned, [_open.Id, _handedOff.Id]);
        Assert.Equal("HND001", Assert.Single(rows).PublicId); // the conversation Jane took has left Unassigned
    }
}
