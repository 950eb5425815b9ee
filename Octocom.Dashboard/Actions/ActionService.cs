using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Functions;

namespace Octocom.Dashboard.Actions;

/// <summary>A custom action or condition provider an agent can run from a conversation.</summary>
public sealed record ActionChoice(int Id, FunctionKind Kind, string Name, string Description, int Version, IReadOnlyList<ArgumentDefinition> Arguments);

/// <summary>
/// Runs the organization's active custom actions and condition providers against a conversation on an agent's or
/// admin's request — how they are exercised without the AI bot. Live runs (effects applied), recorded with trigger
/// <see cref="RunTrigger.Action"/> and the version that ran, through <see cref="ScriptRunner"/> like every other run.
/// </summary>
public sealed class ActionService(IDbContextFactory<DashboardDbContext> dbFactory, ScriptRunner runner)
{
    public async Task<IReadOnlyList<ActionChoice>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.PythonFunctions.AsNoTracking()
            .Where(f => f.IsActive && (f.Kind == FunctionKind.CustomAction || f.Kind == FunctionKind.ConditionProvider))
            .Select(f => new { f.Id, f.Kind, f.Name, f.Description, f.Version, f.ArgumentsJson, f.SortOrder })
            .ToListAsync(ct);
        return rows.OrderBy(r => r.Kind).ThenBy(r => r.SortOrder).ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
            .Select(r => new ActionChoice(r.Id, r.Kind, r.Name, r.Description, r.Version, ArgumentDefinitions.Parse(r.ArgumentsJson)))
            .ToList();
    }

    /// <summary>
    /// Runs the current version of an active action or condition on <paramref name="conversationId"/>. Null when the
    /// function does not exist in this organization, is not an action or condition, or is inactive.
    /// </summary>
    public async Task<ScriptRunOutcome?> RunAsync(int functionId, Guid conversationId, JsonObject? args, CancellationToken ct = default)
    {
        PythonFunction? function;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            function = await db.PythonFunctions.AsNoTracking().FirstOrDefaultAsync(f => f.Id == functionId && f.IsActive
                && (f.Kind == FunctionKind.CustomAction || f.Kind == FunctionKind.ConditionProvider), ct);
        }
        if (function is null) return null;
        return await runner.RunAsync(new ScriptRunRequest
        {
            Kind = function.Kind,
            Code = function.Code,
            FunctionId = function.Id,
            FunctionVersion = function.Version,
            FunctionName = function.Name,
            Conversation = conversationId.ToString(),
            Args = args ?? new JsonObject(),
            Trigger = RunTrigger.Action,
            ApplyEffects = true,
        }, ct);
    }
}
