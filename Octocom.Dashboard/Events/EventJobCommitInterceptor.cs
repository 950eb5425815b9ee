using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Octocom.Dashboard.Events;

/// <summary>
/// Pulses <see cref="EventJobSignal"/> once a save that queued jobs (new <see cref="EventJob"/>s, or jobs set back to
/// Pending) is <em>committed</em>: right after SaveChanges for an implicit transaction, at commit for an explicit one
/// (<see cref="Conversations.ConversationLifecycle"/>). A pulse before the commit would find nothing to lease; a
/// rolled-back save pulses nothing. Every writer of the outbox gets this without calling anything.
/// </summary>
public sealed class EventJobCommitInterceptor(EventJobSignal signal) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, object> _queued = new();

    private void Track(DbContext? context)
    {
        if (context is null) return;
        if (context.ChangeTracker.Entries<EventJob>().Any(e =>
                e.State == EntityState.Added || (e.State == EntityState.Modified && e.Entity.Status == EventJobStatus.Pending)))
            _queued.AddOrUpdate(context, this);
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_queued.TryGetValue(context, out _)) return;
        if (context.Database.CurrentTransaction is not null) return; // wait for the commit
        _queued.Remove(context);
        signal.Pulse();
    }

    private void Forget(DbContext? context)
    {
        if (context is not null) _queued.Remove(context);
    }

    private void Committed(DbContext? context)
    {
        if (context is null || !_queued.Remove(context)) return;
        signal.Pulse();
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Track(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Track(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context?.Database.CurrentTransaction is null) Forget(eventData.Context);
    }

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Forget(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }
}
