using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Conversations;

public sealed class ConversationLifecycleTests : TwoTenantTest
{
    private async Task AddHandlerAsync(string name, string eventType, bool active = true)
    {
        await using var scope = App.ScopeFor(Acme.OrganizationId);
        await using var db = scope.Db();
        db.PythonFunctions.Add(new PythonFunction
        {
            Name = name, Kind = FunctionKind.EventHandler, EventType = eventType, IsActive = active,
            Code = "def handle_event(context):\n    return {}\n",
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Close_QueuesOneJobPerActiveHandlerOfThatEvent_WithTheStatusChange()
    {
        await AddHandlerAsync("CRM sync", EventTypes.ConversationClosed);
        await AddHandlerAsync("Survey", EventTypes.ConversationClosed);
        await AddHandlerAsync("Disabled", EventTypes.ConversationClosed, active: false);
        await AddHandlerAsync("Slack", EventTypes.ConversationHandedOff);
        var conversation = await App.CreateConversationAsync(Acme);

        await using var scope = App.ScopeFor(Acme.OrganizationId);
        var result = await scope.Get<ConversationLifecycle>().CloseAsync(conversation.Id, "agent:Test");

        Assert.Equal(2, result.HandlerJobsQueued);
        await using var db = scope.Db();
        var stored = await db.Conversations.Include(c => c.Events).SingleAsync(c => c.Id == conversation.Id);
        Assert.Equal(ConversationStatus.Closed, stored.Status);
        Assert.NotNull(stored.ClosedAt);
        Assert.Contains(stored.Events, e => e.Type == EventTypes.ConversationClosed);
        var jobs = await db.EventJobs.Where(j => j.ConversationId == conversation.Id).ToListAsync();
        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, j => Assert.Equal((EventJobStatus.Pending, EventTypes.ConversationClosed), (j.Status, j.EventType)));
    }

    [Fact]
    public async Task Close_Twice_DoesNotFireTheEventAgain()
    {
        await AddHandlerAsync("CRM sync", EventTypes.ConversationClosed);
        var conversation = await App.CreateConversationAsync(Acme);
        await using var scope = App.ScopeFor(Acme.OrganizationId);
        var lifecycle = scope.Get<ConversationLifecycle>();

        await lifecycle.CloseAsync(conversation.Id, "agent:Test");
        var second = await lifecycle.CloseAsync(conversation.Id, "agent:Test");

        Assert.False(second.Changed);
        await using var db = scope.Db();
        Assert.Equal(1, await db.EventJobs.CountAsync());
    }

    [Fact]
    public async Task HandOff_RecordsTimelineAndQueuesHandoffHandlers()
    {
        await AddHandlerAsync("Slack", EventTypes.ConversationHandedOff);
        var conversation = await App.CreateConversationAsync(Acme);
        await using var scope = App.ScopeFor(Acme.OrganizationId);

        var result = await scope.Get<ConversationLifecycle>().HandOffAsync(conversation.Id, "agent:Test");

        Assert.Equal((true, ConversationStatus.HandedOff, 1), (result.Changed, result.Status, result.HandlerJobsQueued));
    }

    [Fact]
    public async Task Close_ConversationOfAnotherOrganization_IsNotFoundAndUnchanged()
    {
        var conversation = await App.CreateConversationAsync(Acme);
        var other = Globex;
        await using var scope = App.ScopeFor(other.OrganizationId);
        await Assert.ThrowsAsync<ConversationNotFoundException>(() =>
            scope.Get<ConversationLifecycle>().CloseAsync(conversation.Id, "agent:Intruder"));
        var status = await App.QueryAsync(Acme.OrganizationId, db => db.Conversations.Where(c => c.Id == conversation.Id).Select(c => c.Status).SingleAsync());
        Assert.Equal(ConversationStatus.Open, status);
    }
}
