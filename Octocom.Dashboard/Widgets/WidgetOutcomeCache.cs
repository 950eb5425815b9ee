using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Scripting;

namespace Octocom.Dashboard.Widgets;

/// <summary>
/// Reuses a widget's outcome for the same organization, conversation, widget and version for
/// <see cref="WidgetsOptions.CacheDuration"/>. Built on <see cref="HybridCache"/>, which also coalesces concurrent
/// requests for the same key (two agents opening one conversation start one run) and keeps a shared run going
/// until every caller has given up. Entries stay in this process's memory: results carry customer data and are
/// cheap to recompute, so they never go to a distributed cache.
/// </summary>
public sealed class WidgetOutcomeCache(HybridCache cache, IOptionsMonitor<WidgetsOptions> options)
{
    private const HybridCacheEntryFlags LocalOnly = HybridCacheEntryFlags.DisableDistributedCache;

    public bool Enabled => options.CurrentValue.CacheDuration > TimeSpan.Zero;

    /// <summary>
    /// The cached outcome, or <paramref name="run"/>'s. <paramref name="refresh"/> skips the read but stores the new
    /// outcome. Cancelled runs are never stored (the next visit runs again).
    /// </summary>
    public async Task<WidgetRunOutcome> GetOrRunAsync(int organizationId, Guid conversationId, SidebarWidget widget, bool refresh,
        Func<CancellationToken, Task<WidgetRunOutcome>> run, CancellationToken ct)
    {
        var duration = options.CurrentValue.CacheDuration;
        if (duration <= TimeSpan.Zero) return await run(ct);

        var entry = new HybridCacheEntryOptions
        {
            Expiration = duration,
            LocalCacheExpiration = duration,
            Flags = refresh ? LocalOnly | HybridCacheEntryFlags.DisableLocalCacheRead : LocalOnly,
        };
        try
        {
            return await cache.GetOrCreateAsync(Key(organizationId, conversationId, widget), async token =>
            {
                var outcome = await run(token);
                // Throwing keeps the entry out of the cache; caught below for the caller that is still waiting.
                if (outcome.Status == ScriptRunStatus.Cancelled) throw new CancelledRunException(outcome);
                return outcome;
            }, entry, cancellationToken: ct);
        }
        catch (CancelledRunException e)
        {
            return e.Outcome;
        }
    }

    public static string Key(int organizationId, Guid conversationId, SidebarWidget widget) =>
        $"octocom:widget:{organizationId}:{conversationId:N}:{widget.Id}:v{widget.Version}";

    private sealed class CancelledRunException(WidgetRunOutcome outcome) : Exception("The widget run was cancelled.")
    {
        public WidgetRunOutcome Outcome { get; } = outcome;
    }
}
