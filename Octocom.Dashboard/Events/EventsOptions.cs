using Microsoft.Extensions.Options;
using Octocom.Dashboard.Scripting;

namespace Octocom.Dashboard.Events;

/// <summary>The event dispatcher's settings (section <c>Events</c>); every one is mirrored in appsettings.sample.json.</summary>
public sealed class EventsOptions
{
    public const string SectionName = "Events";

    /// <summary>Run the dispatcher in this instance. Off: jobs are still written (outbox) and wait for an instance that runs it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Handlers running at once in this instance. 0: half the engine's pool (at least 1), so a burst of events never
    /// takes every worker from agents' sidebar widgets.
    /// </summary>
    public int Concurrency { get; set; }

    /// <summary>
    /// Fallback check for due jobs. New jobs committed in this process wake the dispatcher at once; the poll finds jobs
    /// written by other instances and expired leases of crashed ones.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a leased job belongs to this instance without a renewal. Renewed every third of it while the handler runs;
    /// after a crash the job is picked up again once it expires. Must exceed the handler timeout (Scripting:Limits:EventHandler:Timeout).
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Runs per job, including the first, for transient failures (timeout, killed worker, engine unavailable).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay before the first retry; doubled for every further one.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest delay between two attempts.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Random spread of each delay, as a fraction (0.2 = ±20 %), so jobs that failed together do not retry together.</summary>
    public double RetryJitter { get; set; } = 0.2;

    /// <summary>On shutdown, how long running handlers may finish before they are cancelled and their jobs released.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(20);

    public int EffectiveConcurrency(ScriptingOptions scripting) => Concurrency > 0 ? Concurrency : Math.Max(1, scripting.EffectivePoolSize / 2);
}

public sealed class EventsOptionsValidator(IOptions<ScriptingOptions> scripting) : IValidateOptions<EventsOptions>
{
    public ValidateOptionsResult Validate(string? name, EventsOptions o)
    {
        var errors = new List<string>();
        if (o.Concurrency is < 0 or > 256) errors.Add("Events:Concurrency must be between 0 (half the engine's pool) and 256.");
        if (o.PollInterval <= TimeSpan.Zero) errors.Add("Events:PollInterval must be positive.");
        if (o.MaxAttempts is < 1 or > 100) errors.Add("Events:MaxAttempts must be between 1 and 100.");
        if (o.RetryBaseDelay < TimeSpan.Zero) errors.Add("Events:RetryBaseDelay must not be negative.");
        if (o.RetryMaxDelay < o.RetryBaseDelay) errors.Add("Events:RetryMaxDelay must be at least Events:RetryBaseDelay.");
        if (o.RetryJitter is < 0 or > 1) errors.Add("Events:RetryJitter must be between 0 and 1.");
        if (o.ShutdownGracePeriod < TimeSpan.Zero) errors.Add("Events:ShutdownGracePeriod must not be negative.");

        var minimumLease = MinimumLease(scripting.Value.Limits.EventHandler.Timeout);
        if (o.LeaseDuration < minimumLease)
            errors.Add($"Events:LeaseDuration ({o.LeaseDuration}) must be at least {minimumLease}: longer than the handler timeout " +
                       $"(Scripting:Limits:EventHandler:Timeout = {scripting.Value.Limits.EventHandler.Timeout}) plus the engine's kill margin, " +
                       "so a live run never loses its job to another dispatcher.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The engine kills a run at timeout + max(1 s, 10 %); two more seconds cover recording the run.</summary>
    public static TimeSpan MinimumLease(TimeSpan handlerTimeout) =>
        handlerTimeout + TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, handlerTimeout.Ticks / 10)) + TimeSpan.FromSeconds(2);
}
