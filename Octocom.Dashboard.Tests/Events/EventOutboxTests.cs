using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Events;

/// <summary>The outbox: jobs commit with the status change or not at all, and a commit (only a commit) wakes the dispatcher.</summary>
public sealed class EventOutboxTests : TwoTenantTest
{
    private const string Code = "def handle_event(context):\n    return {}\n";

    /// <summary>Makes any save that writes event jobs fail, like a full disk or a constraint violation would.</summary>
    private sealed class FailingJobInsert : SaveChangesInterceptor
    {
        public volatile bool Enabled = true;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            if (Enabled && eventData.Context!.ChangeTracker.Entries<EventJob>().Any(e => e.State == EntityState.Added))
                throw new DbUpdateException("Simulated failure while writing the outbox");
            return ValueTask.FromResult(result);
        }
    }

    private readonly FailingJobInsert _failure = new() { Enabled = false };

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.ConfigureDbContext<DashboardDbContext>(o => o.AddInterceptors(_failure), ServiceLifetime.Scoped);

    private EventJobSignal Signal => App.Services.GetRequiredService<EventJobSignal>();

    [Fact]
    public async Task Close_WhenWritingTheJobsFails_LeavesNeitherTheStatusChangeNorAnyJob()
    {
        await App.AddHandlerAsync(Acme, "CRM sync", Code);
        var conversation = await App.CreateConversationAsync(Acme);
        _failure.Enabled = true;
        var wake = Signal.Next;

        await using var scope = App.ScopeFor(Acme.OrganizationId);
        await Assert.ThrowsAsync<DbUpdateException>(() => scope.Get<ConversationLifecycle>().CloseAsync(conversation.Id, "agent:Test"));

        await using var db = scope.Db();
        var stored = await db.Conversations.Include(c => c.Events).SingleAsync(c => c.Id == conversation.Id);
        Assert.Equal(ConversationStatus.Open, stored.Status);
        Assert.Null(stored.ClosedAt);
        Assert.Empty(stored.Events);
        Assert.Empty(await db.EventJobs.ToListAsync());
        Assert.False(wake.IsCompleted, "a failed save must not wake the dispatcher");
    }

    [Fact]
    public async Task Close_WhenItSucceeds_CommitsStatusTimelineAndJobsTogether_AndWakesTheDispatcher()
    {
        await App.AddHandlerAsync(Acme, "CRM sync", Code);
        await App.AddHandlerAsync(Acme, "Survey", Code);
        var conversation = await App.CreateConversationAsync(Acme);
        var wake = Signal.Next;

        await App.CloseAsync(Acme, conversation.Id);

        Assert.True(wake.IsCompleted, "the commit must wake the dispatcher");
        var jobs = await App.JobsAsync(Acme, conversation.Id);
        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, j => Assert.Equal((EventJobStatus.Pending, 0, Acme.OrganizationId), (j.Status, j.Attempts, j.OrganizationId)));
        var status = await App.QueryAsync(Acme.OrganizationId, db => db.Conversations.Where(c => c.Id == conversation.Id).Select(c => c.Status).SingleAsync());
        Assert.Equal(ConversationStatus.Closed, status);
    }

    [Fact]
    public async Task Close_WithoutActiveHandlers_QueuesNothingAndDoesNotWakeTheDispatcher()
    {
        await App.AddHandlerAsync(Acme, "Disabled", Code, active: false);
        await App.AddHandlerAsync(Acme, "On handoff", Code, EventTypes.ConversationHandedOff);
        var conversation = await App.CreateConversationAsync(Acme);
        var wake = Signal.Next;

        await App.CloseAsync(Acme, conversation.Id);

        Assert.Empty(await App.JobsAsync(Acme, conversation.Id));
        Assert.False(wake.IsCompleted);
    }

    [Fact]
    public async Task Close_QueuesOnlyTheConversationsOwnOrganizationsHandlers()
    {
        var other = Globex;
        await App.AddHandlerAsync(other, "Other org's handler", Code);
        var mine = await App.AddHandlerAsync(Acme, "Mine", Code);
        var conversation = await App.CreateConversationAsync(Acme);

        await App.CloseAsync(Acme, conversation.Id);

        var job = Assert.Single(await App.JobsAsync(Acme, conversation.Id));
        Assert.Equal(mine.Id, job.FunctionId);
    }
}
