using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Widgets;

/// <summary>
/// Runs the organization's active sidebar widgets on a conversation: each through <see cref="ScriptRunner"/>
/// (trigger <c>Sidebar</c>, recorded, result checked against the widget format so a broken result is recorded as
/// <c>Invalid</c>), all at once, outcomes reused for <see cref="WidgetsOptions.CacheDuration"/>. Scoped: it acts for
/// the scope's organization, so another organization's widgets are never loaded. Never throws for a widget's
/// failure: every run ends in a <see cref="WidgetRunOutcome"/>.
/// </summary>
/// <remarks>
/// How many runs execute at the same time is bounded by the engine's pool (<c>Scripting:PoolSize</c>, one worker per
/// processor by default); runs beyond it wait for a free worker. Widgets mostly wait on the customer's APIs, so give
/// the pool at least as many workers as an organization has active widgets (docs/widgets.md, "Parallel runs").
/// </remarks>
public sealed class SidebarWidgetRunner(
    IDbContextFactory<DashboardDbContext> dbFactory,
    TenantScopes scopes,
    WidgetResultChecker checker,
    WidgetOutcomeCache cache,
    IScriptEngine engine,
    IOptionsMonitor<WidgetsOptions> options,
    TenantContext tenant,
    ILogger<SidebarWidgetRunner> logger)
{
    private static int _poolWarningLogged;

    /// <summary>The organization's active widgets in display order (<c>SortOrder</c>, then name).</summary>
    public async Task<IReadOnlyList<SidebarWidget>> GetActiveAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var widgets = await db.PythonFunctions.AsNoTracking()
            .Where(f => f.Kind == FunctionKind.SidebarWidget && f.IsActive)
            .OrderBy(f => f.SortOrder).ThenBy(f => f.Name).ThenBy(f => f.Id)
            .Select(f => new SidebarWidget(f.Id, f.Name, f.Version, f.Code))
            .ToListAsync(ct);
        WarnIfPoolIsSmaller(widgets.Count);
        return widgets;
    }

    /// <summary>
    /// Runs one widget (or reuses its cached outcome). <paramref name="refresh"/>: always run, and cache the new outcome.
    /// Cancelling stops the run; it is recorded as cancelled and not cached.
    /// </summary>
    public Task<WidgetRunOutcome> RunAsync(SidebarWidget widget, Guid conversationId, bool refresh = false, CancellationToken ct = default)
    {
        var organizationId = tenant.RequireOrganizationId();
        var user = tenant.UserName;
        return cache.GetOrRunAsync(organizationId, conversationId, widget, refresh,
            token => RunUncachedAsync(organizationId, user, widget, conversationId, token), ct);
    }

    /// <summary>Starts every widget at once and yields each outcome as soon as its own run finishes.</summary>
    public async IAsyncEnumerable<SidebarWidgetRun> RunAllAsync(IReadOnlyList<SidebarWidget> widgets, Guid conversationId,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var runs = widgets.ToDictionary(w => RunAsync(w, conversationId, false, ct), w => w);
        await foreach (var finished in Task.WhenEach(runs.Keys))
            yield return new SidebarWidgetRun(runs[finished], await finished);
    }

    private async Task<WidgetRunOutcome> RunUncachedAsync(int organizationId, string user, SidebarWidget widget, Guid conversationId,
        CancellationToken ct)
    {
        try
        {
            // The run gets its own scope: a shared (cached) run can outlive the circuit that started it, and it must
            // still be recorded when that agent closes the tab while another agent waits for the same result.
            await using var scope = scopes.Create(organizationId, user);
            var run = await scope.ServiceProvider.GetRequiredService<ScriptRunner>().RunAsync(new ScriptRunRequest
            {
                Kind = FunctionKind.SidebarWidget,
                Code = widget.Code,
                FunctionId = widget.Id,
                FunctionVersion = widget.Version,
                FunctionName = widget.Name,
                Conversation = conversationId.ToString(),
                Trigger = RunTrigger.Sidebar,
                ApplyEffects = options.CurrentValue.ApplyEffects,
            }, ct);
            return WidgetRunOutcome.From(run, checker);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // ScriptRunner reports script failures as outcomes; this is the dashboard failing (e.g. the database), and
            // one widget's card shows it rather than the whole panel.
            logger.LogError(e, "Sidebar widget {Widget} ({WidgetId}) could not be run on conversation {Conversation}", widget.Name, widget.Id, conversationId);
            return WidgetRunOutcome.DashboardFailure();
        }
    }

    private void WarnIfPoolIsSmaller(int widgets)
    {
        var pool = engine.Status.PoolSize;
        if (pool <= 0 || widgets <= pool || Interlocked.Exchange(ref _poolWarningLogged, 1) == 1) return;
        logger.LogWarning(
            "An organization has {Widgets} active sidebar widgets but the script engine has {Pool} workers: a conversation's widgets run in " +
            "{Waves} waves instead of all at once. Set Scripting:PoolSize to at least {Widgets} (docs/widgets.md, \"Parallel runs\").",
            widgets, pool, (widgets + pool - 1) / pool, widgets);
    }
}
