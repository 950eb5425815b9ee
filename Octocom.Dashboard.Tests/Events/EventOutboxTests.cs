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
public sealed class EventOutboxTests : IAsyncLifetime
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
    private TestApp _app = default!;
    private TestData.Tenant _tenant = default!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.CreateAsync(configure: b =>
            b.Services.ConfigureDbContext<DashboardDbContext>(o => o.AddInterceptors(_failure), ServiceLifetime.Scoped));
        _tenant = await _app.CreateTenantAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private EventJobSignal Signal => _app.Services.GetRequiredService<EventJobSignal>();

    [Fact]
    public async Task Close_WhenWritingTheJobsFails_LeavesNeitherTheStatusChangeNorAnyJob()
    {
        await _app.AddHandlerAsync(_tenant, "CRM sync", Code);
        var conversation = await _app.CreateConversationAsync(_tenant);
        _failure.Enabled = true;
        var wake = Signal.Next;

        await using var scope = _app.ScopeFor(_tenant.OrganizationId);
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
        await _app.AddHandlerAsync(_tenant, "CRM sync", Code);
        await _app.AddHandlerAsync(_tenant, "Survey", Code);
        var conversation = await _app.CreateConversationAsync(_tenant);
        var wake = Signal.Next;

        await _app.CloseAsync(_tenant, conversation.Id);

        Assert.True(wake.IsCompleted, "the commit must wake the dispatcher");
        var jobs = await _app.JobsAsync(_tenant, conversation.Id);
        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, j => Assert.Equal((EventJobStatus.Pending, 0, _tenant.OrganizationId), (j.Status, j.Attempts, j.OrganizationId)));
        var status = await _app.QueryAsync(_tenant.OrganizationId, db => db.Conversations.Where(c => c.Id == conversation.Id).Select(c => c.Status).SingleAsync());
        Assert.Equal(ConversationStatus.Closed, status);
    }

    [Fact]
    public async Task Close_WithoutActiveHandlers_QueuesNothingAndDoesNotWakeTheDispatcher()
    {
        await _app.AddHandlerAsync(_tenant, "Disabled", Code, active: false);
        await _app.AddHandlerAsync(_tenant, "On handoff", Code, EventTypes.ConversationHandedOff);
        var conversation = await _app.CreateConversationAsync(_tenant);
        var wake = Signal.Next;

        await _app.CloseAsync(_tenant, conversation.Id);

        Assert.Empty(await _app.JobsAsync(_tenant, conversation.Id));
        Assert.False(wake.IsCompleted);
    }

    [Fact]
    public async Task Close_QueuesOnlyTheConversationsOwnOrganizationsHandlers()
    {
        var other = await _app.CreateTenantAsync("other", "other-shop");
        await _app.AddHandlerAsync(other, "Other org's handler", Code);
        var mine = await _app.AddHandlerAsync(_tenant, "Mine", Code);
        var conversation = await _app.CreateConversationAsync(_tenant);

        await _app.CloseAsync(_tenant, conversation.Id);

        var job = Assert.Single(await _app.JobsAsync(_tenant, conversation.Id));
        Assert.Equal(mine.Id, job.FunctionId);
    }
}
