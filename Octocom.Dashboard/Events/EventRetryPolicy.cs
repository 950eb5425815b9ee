using Microsoft.Extensions.Options;
using Octocom.Dashboard.Scripting;

namespace Octocom.Dashboard.Events;

/// <summary>What becomes of a job after one attempt.</summary>
public abstract record JobDecision
{
    public sealed record Succeed : JobDecision;
    /// <summary>Final: not retried. <paramref name="Error"/> goes to <see cref="EventJob.LastError"/>.</summary>
    public sealed record Fail(string Error) : JobDecision;
    /// <summary>Transient failure: run again at <paramref name="At"/>.</summary>
    public sealed record Retry(DateTime At, string Error) : JobDecision;
    /// <summary>Not this attempt's fault (the dashboard is stopping): back to Pending now, and the attempt does not count.</summary>
    public sealed record Release : JobDecision;
}

/// <summary>
/// Transient failures — <c>timeout</c>, <c>killed</c> (the worker died or a limit stopped it), <c>unavailable</c> (no
/// engine or worker here right now) and errors of the dashboard itself — are retried up to
/// <see cref="EventsOptions.MaxAttempts"/> runs with exponential backoff. A script's own failure (<c>error</c>: it
/// raised, or does not compile) and an unusable outcome (<c>invalid</c> result, effects refused) would fail the same
/// way again: logged, not retried.
/// </summary>
/// <remarks>
/// The delay is computed here and stored in <see cref="EventJob.AvailableAt"/> rather than slept on by an in-process
/// retry loop (Polly's retry strategy), because a retry must survive a restart; the arithmetic is one line.
/// </remarks>
public sealed class EventRetryPolicy(IOptions<EventsOptions> options)
{
    public static bool IsTransient(ScriptRunStatus status) =>
        status is ScriptRunStatus.Timeout or ScriptRunStatus.Killed or ScriptRunStatus.Unavailable;

    /// <param name="attempt">The attempt that just ran, 1-based.</param>
    public JobDecision Decide(ScriptRunOutcome outcome, int attempt, DateTime now, bool stopping)
    {
        var result = outcome.Result;
        if (result.Status == ScriptRunStatus.Cancelled && stopping) return new JobDecision.Release();
        if (result.Status == ScriptRunStatus.Ok)
            return outcome.Rejections.Count == 0
                ? new JobDecision.Succeed()
                : new JobDecision.Fail("Effects refused, none applied: " +
                                       string.Join("; ", outcome.Rejections.Select(r => $"{r.Effect} {r.Target}: {r.Message}")));

        var message = result.Error is { } e ? $"{e.Type}: {e.Message}" : result.Status.ToString();
        if (result.Error?.Line is > 0 and var line) message += $" (line {line})";
        return IsTransient(result.Status)
            ? Transient(message, attempt, now)
            : new JobDecision.Fail(message);
    }

    /// <summary>A transient failure (also: the dashboard's own exception while running the job).</summary>
    public JobDecision Transient(string error, int attempt, DateTime now) =>
        attempt < options.Value.MaxAttempts
            ? new JobDecision.Retry(now + Delay(attempt), error)
            : new JobDecision.Fail($"Gave up after {attempt} attempt(s): {error}");

    /// <summary>min(RetryMaxDelay, RetryBaseDelay × 2^(attempt−1)), spread by ±RetryJitter.</summary>
    public TimeSpan Delay(int attempt)
    {
        var o = options.Value;
        var exponential = o.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var capped = Math.Min(exponential, o.RetryMaxDelay.TotalMilliseconds);
        var spread = o.RetryJitter == 0 ? 1 : 1 + o.RetryJitter * (2 * Random.Shared.NextDouble() - 1);
        return TimeSpan.FromMilliseconds(Math.Min(capped * spread, o.RetryMaxDelay.TotalMilliseconds));
    }
}
