using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Audit;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Conversations.Assignment;
using Octocom.Dashboard.Notifications;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Conversations;

/// <summary>Assignment rules on real SQLite: who may own a conversation, and that a refusal changes nothing.</summary>
public sealed class AssignmentServiceTests : IAsyncLifetime
{
    private TestApp _app = default!;
    private TestData.Tenant _acme = default!;
    private TestData.Tenant _other = default!;
    private string _admin = "", _jane = "", _sam = "", _manager = "", _locked = "", _otherOrgAgent = "";
    private Conversation _conversation = default!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.CreateAsync();
        _acme = await _app.CreateTenantAsync();
        _other = await _app.CreateTenantAsync("other", "other-shop");
        _admin = await _app.CreateUserAsync(_acme, "Ada Admin", Roles.Admin);
        _jane = await _app.CreateUserAsync(_acme, "Jane Agent", Roles.Agent);
        _sam = await _app.CreateUserAsync(_acme, "Sam Agent", Roles.Agent);
        _manager = await _app.CreateUserAsync(_acme, "Mona Manager", Roles.Manager);
        _locked = await _app.CreateUserAsync(_acme, "Lou Locked", Roles.Agent);
        _otherOrgAgent = await _app.CreateUserAsync(_other, "Otto Other", Roles.Agent);
        await using (var scope = _app.ScopeForUser(_acme, _admin, "Ada Admin", Roles.Admin))
            Assert.True((await scope.Get<UserAdminService>().SetLockedAsync(_locked, true)).Succeeded);
        _conversation = await _app.CreateConversationAsync(_acme, "ASG001", "Where is my parcel?");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<T> AsAsync<T>(string userId, string name, Func<AssignmentService, Task<T>> action)
    {
        await using var scope = _app.ScopeForUser(_acme, userId, name);
        return await action(scope.Get<AssignmentService>());
    }

    private Task<Conversation> ReloadAsync() => _app.QueryAsync(_acme.OrganizationId, db => db.Conversations
        .Include(c => c.Events).Include(c => c.Metadata).FirstAsync(c => c.Id == _conversation.Id));

    [Fact]
    public async Task Assign_ToAnAgent_WritesAssigneeTimelineAuditAndMetadataAndNotifiesThem()
    {
        var result = await AsAsync(_admin, "Ada Admin", s => s.AssignAsync(_conversation.Id, _jane));

        Assert.True(result.Succeeded && result.Changed, result.Error);
        var conversation = await ReloadAsync();
        Assert.Equal(_jane, conversation.AssigneeId);
        Assert.NotNull(conversation.AssignedAt);
        var entry = Assert.Single(conversation.Events, e => e.Type == AssignmentService.AssignedEvent);
        Assert.Equal("Assigned to Jane Agent by Ada Admin", entry.Description);
        Assert.Equal($"jane.agent.{_acme.OrganizationId}@example.test",
            Assert.Single(conversation.Metadata, m => m.Key == AssignmentService.AssigneeMetadataKey).Value);
        var audit = await _app.QueryAsync(_acme.OrganizationId, db => db.AuditEntries.Where(a => a.EntityType == AuditEntityTypes.Conversation).ToListAsync());
        Assert.Contains(audit, a => a.Action == "assigned" && a.EntityId == "ASG001" && a.Summary.Contains("Jane Agent"));
        var notifications = await _app.QueryAsync(_acme.OrganizationId, db => db.Set<Notification>().Where(n => n.UserId == _jane).ToListAsync());
        Assert.Contains(notifications, n => n.Kind == NotificationKinds.Assigned && n.Title.Contains("ASG001"));
    }

    [Fact]
    public async Task Reassign_AndUnassign_AreOnTheTimeline_AndClearTheMetadata()
    {
        await AsAsync(_admin, "Ada Admin", s => s.AssignAsync(_conversation.Id, _jane));
        await AsAsync(_admin, "Ada Admin", s => s.AssignAsync(_conversation.Id, _sam));
        await AsAsync(_admin, "Ada Admin", s => s.AssignAsync(_conversation.Id, null));

        var conversation = await ReloadAsync();
        Assert.Null(conversation.AssigneeId);
        Assert.DoesNotContain(conversation.Metadata, m => m.Key == AssignmentService.AssigneeMetadataKey);
        Assert.Equal(
            ["Assigned to Jane Agent by Ada Admin", "Reassigned from Jane Agent to Sam Agent by Ada Admin", "Unassigned from Sam Agent by Ada Admin"],
            conversation.Events.OrderBy(e => e.Id).Select(e => e.Description).ToArray());
    }

    [Fact]
    public async Task AssignToMe_DoesNotNotifyMyself_AndAssigningTheSameAgainIsANoOp()
    {
        Assert.True((await AsAsync(_jane, "Jane Agent", s => s.AssignToMeAsync(_conversation.Id))).Changed);
        var again = await AsAsync(_jane, "Jane Agent", s => s.AssignToMeAsync(_conversation.Id));

        Assert.True(again.Succeeded);
        Assert.False(again.Changed);
        Assert.Single((await ReloadAsync()).Events);
        Assert.Equal(0, await _app.QueryAsync(_acme.OrganizationId, db => db.Set<Notification>().CountAsync()));
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "other-org", "no such user" },
        { "deleted", "no such user" },
        { "locked", "locked out" },
        { "manager", "only agents and admins" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Assign_ToSomeoneWhoCannotOwnConversations_IsRefused_AndNothingChanges(string who, string reason)
    {
        var target = who switch
        {
            "other-org" => _otherOrgAgent,
            "deleted" => await DeletedUserAsync(),
            "locked" => _locked,
            _ => _manager,
        };
        var auditBefore = await _app.QueryAsync(_acme.OrganizationId, db => db.AuditEntries.CountAsync());

        var result = await AsAsync(_admin, "Ada Admin", s => s.AssignAsync(_conversation.Id, target));
        var bulk = await AsAsync(_admin, "Ada Admin", s => s.AssignManyAsync([_conversation.Id], target));

        Assert.False(result.Succeeded);
        Assert.Contains(reason, result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, bulk.Changed);
        Assert.Contains(reason, Assert.Single(bulk.Errors), StringComparison.OrdinalIgnoreCase);
        var conversation = await ReloadAsync();
        Assert.Null(conversation.AssigneeId);
        Assert.Empty(conversation.Events);
        Assert.Empty(conversation.Metadata);
        Assert.Equal(auditBefore, await _app.QueryAsync(_acme.OrganizationId, db => db.AuditEntries.CountAsync()));
    }

    private async Task<string> DeletedUserAsync()
    {
        var doomed = await _app.CreateUserAsync(_acme, "Dee Deleted", Roles.Agent);
        await using var scope = _app.ScopeForUser(_acme, _admin, "Ada Admin", Roles.Admin);
        Assert.True((await scope.Get<UserAdminService>().DeleteAsync(doomed)).Succeeded);
        return doomed;
    }

    [Fact]
    public async Task Assign_AnotherOrganizationsConversation_IsRefused()
    {
        var foreign = await _app.CreateConversationAsync(_other, "OTH001");
        var result = await AsAsync(_admin, "Ada Admin", s => s.AssignAsync(foreign.Id, _jane));

        Assert.False(result.Succeeded);
        Assert.Null(await _app.QueryAsync(_other.OrganizationId, db => db.Conversations.Where(c => c.Id == foreign.Id).Select(c => c.AssigneeId).FirstAsync()));
    }

    [Fact]
    public async Task TakeHandoff_AssignsToMeAndReopens_ASecondAgentIsToldWhoHasIt()
    {
        await using (var scope = _app.ScopeFor(_acme.OrganizationId, "bot"))
            await scope.Get<ConversationLifecycle>().HandOffAsync(_conversation.Id, "bot");

        var taken = await AsAsync(_jane, "Jane Agent", s => s.TakeHandoffAsync(_conversation.Id));
        var late = await AsAsync(_sam, "Sam Agent", s => s.TakeHandoffAsync(_conversation.Id));

        Assert.True(taken.Changed, taken.Error);
        Assert.False(late.Succeeded);
        Assert.Equal("Jane Agent has already taken this conversation.", late.Error);
        var conversation = await ReloadAsync();
        Assert.Equal(_jane, conversation.AssigneeId);
        Assert.Equal(ConversationStatus.Open, conversation.Status);
        Assert.Contains(conversation.Events, e => e.Type == "conversation_reopened");
    }

    [Fact]
    public async Task Assignees_AreTheOrganizationsUnlockedAgentsAndAdmins()
    {
        var names = (await AsAsync(_admin, "Ada Admin", s => s.AssigneesAsync())).Select(a => a.DisplayName);
        Assert.Equal(["Ada Admin", "Jane Agent", "Sam Agent"], names.ToArray());
    }

    [Fact]
    public async Task DeletingAUser_UnassignsTheirConversations()
    {
        await AsAsync(_admin, "Ada Admin", s => s.AssignAsync(_conversation.Id, _sam));
        await using (var scope = _app.ScopeForUser(_acme, _admin, "Ada Admin", Roles.Admin))
            Assert.True((await scope.Get<UserAdminService>().DeleteAsync(_sam)).Succeeded);

        var conversation = await ReloadAsync();
        Assert.Null(conversation.AssigneeId);
        Assert.DoesNotContain(conversation.Metadata, m => m.Key == AssignmentService.AssigneeMetadataKey);
    }

    [Fact]
    public async Task Analytics_FiltersAndSegmentsByAssignee()
    {
        var second = await _app.CreateConversationAsync(_acme, "ASG002");
        await _app.CreateConversationAsync(_acme, "ASG003");
        await AsAsync(_admin, "Ada Admin", s => s.AssignManyAsync([_conversation.Id, second.Id], _jane));

        await using var scope = _app.ScopeFor(_acme.OrganizationId);
        var analytics = scope.Get<Octocom.Dashboard.Analytics.AnalyticsService>();
        var segments = await analytics.SegmentAsync(new Octocom.Dashboard.Analytics.Filtering.AnalyticsFilter(), AssignmentService.AssigneeMetadataKey, false);
        var jane = $"jane.agent.{_acme.OrganizationId}@example.test";
        Assert.Equal(2, Assert.Single(segments.Rows, r => r.Value == jane).Conversations);
        Assert.Equal(1, Assert.Single(segments.Rows, r => r.Label == Octocom.Dashboard.Analytics.Segments.SegmentTable.NoneLabel).Conversations);
        var filter = new Octocom.Dashboard.Analytics.Filtering.AnalyticsFilter
        {
            Conditions = [new() { Key = AssignmentService.AssigneeMetadataKey, Operator = "eq", Values = [jane] }],
        };
        Assert.Equal(2, await analytics.CountAsync(filter));
    }

    [Fact]
    public async Task EventHandlers_SeeTheAssigneeThroughMetadata_TheSeedContextIsUnchanged()
    {
        await AsAsync(_admin, "Ada Admin", s => s.AssignAsync(_conversation.Id, _jane));
        await using var scope = _app.ScopeFor(_acme.OrganizationId);
        var context = await scope.Get<Octocom.Dashboard.Scripting.ScriptContextBuilder>().BuildAsync(
            Octocom.Dashboard.Scripting.FunctionKind.EventHandler, _conversation.PublicId, eventType: "conversation_closed");

        Assert.Equal($"jane.agent.{_acme.OrganizationId}@example.test", context.Metadata[AssignmentService.AssigneeMetadataKey]);
        var conversation = context.Context["conversation"]!.AsObject();
        Assert.Equal(["id", "publicId", "subject", "businessSlug", "initialChannel", "latestChannel", "messages"],
            conversation.Select(p => p.Key).ToArray());
        Assert.Equal(["conversation", "business", "customer", "args", "browser_session"], context.Context.Select(p => p.Key).ToArray());
    }

    [Fact]
    public async Task TheAssigneeMetadataKey_IsReadOnlyForScriptsAndAgents()
    {
        await using var scope = _app.ScopeFor(_acme.OrganizationId);
        var validator = new Octocom.Dashboard.Metadata.MetadataChangeValidator();
        var result = validator.Validate(new Octocom.Dashboard.Metadata.MetadataChange(AssignmentService.AssigneeMetadataKey, "x",
            Octocom.Dashboard.Metadata.MetadataSources.Script));
        Assert.Contains(result.Errors, e => e.ErrorMessage.Contains("read-only"));
    }
}
