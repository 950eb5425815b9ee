using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Events;

/// <summary>
/// Runs one leased job: in a scope for the job's organization, the handler's <em>current</em> code through
/// <see cref="ScriptRunner"/> (trigger <c>event</c>, effects applied, the run recorded with the job ID and attempt),
/// and turns the outcome into a <see cref="JobDecision"/>.
/// </summary>
public sealed class EventJobRunner(
    TenantScopes tenantScopes,
    EventRetryPolicy retryPolicy,
    IOptions<EventsOptions> options,
    TimeProvider clock,
    ILogger<EventJobRunner> logger)
{
    /// <summary>The actor recorded on handler runs (<see cref="ScriptRun.TriggeredBy"/>).</summary>
    public const string Actor = "event-dispatcher";

    /// <param name="stopping">True once the dispatcher is shutting down: a cancelled run then releases the job.</param>
    public async Task<JobDecision> RunAsync(LeasedJob leased, Func<bool> stopping, CancellationToken ct)
    {
        var job = leased.Job;
        try
        {
            await using var scope = tenantScopes.Create(job.OrganizationId, Actor);
            var handler = await FindHandlerAsync(scope.ServiceProvider, job.FunctionId, ct);
            if (handler is null) return new JobDecision.Fail("The event handler no longer exists in this organization.");
            if (!handler.IsActive) return new JobDecision.Fail($"Not run: the handler '{handler.Name}' was deactivated before the job ran.");
            if (leased.Recovered && job.Attempts > options.Value.MaxAttempts)
                return new JobDecision.Fail($"Gave up after {job.Attempts - 1} attempt(s): the last one was interrupted (the dashboard stopped during the run). {job.LastError}".TrimEnd());

            var outcome = await scope.ServiceProvider.GetRequiredService<ScriptRunner>().RunAsync(new ScriptRunRequest
            {
                Kind = FunctionKind.EventHandler,
                Code = handler.Code,
                FunctionId = handler.Id,
                FunctionVersion = handler.Version,
                FunctionName = handler.Name,
                Conversation = job.ConversationId.ToString(),
                EventType = job.EventType,
                Trigger = RunTrigger.Event,
                ApplyEffects = true,
                EventJobId = job.Id,
                Attempt = job.Attempts,
            }, ct);
            return retryPolicy.Decide(outcome, job.Attempts, clock.GetUtcNow().UtcDateTime, stopping());
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && stopping())
        {
            return new JobDecision.Release();
        }
        catch (Exception e)
        {
            // The dashboard's own failure (database busy, disk full …): not the script's fault, so retried.
            logger.LogError(e, "Event job {JobId} (attempt {Attempt}) failed in the dispatcher", job.Id, job.Attempts);
            return retryPolicy.Transient($"Dispatcher error: {e.GetType().Name}: {e.Message}", job.Attempts, clock.GetUtcNow().UtcDateTime);
        }
    }

    private static async Task<PythonFunction?> FindHandlerAsync(IServiceProvider services, int functionId, CancellationToken ct)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync(ct);
        return await db.PythonFunctions.AsNoTracking()
            .FirstOrDefaultAsync(f => f.Id == functionId && f.Kind == FunctionKind.EventHandler, ct);
    }
}
