namespace Octocom.Dashboard.Events;

/// <summary>
/// Wakes the dispatcher when jobs become due in this process (an outbox commit, a re-run, a finished job), so the
/// delay from "conversation closed" to "handler started" does not wait for the poll interval.
/// </summary>
/// <remarks>
/// A waiter takes <see cref="Next"/> <em>before</em> it looks for work; a pulse that arrives while it looks completes
/// that task, so no wake-up is lost between "found nothing" and "start waiting".
/// </remarks>
public sealed class EventJobSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>Completes at the next <see cref="Pulse"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
