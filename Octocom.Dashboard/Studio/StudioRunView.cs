using System.Text.Json;
using System.Text.Json.Nodes;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;
using Octocom.Dashboard.Shared;
using Octocom.Dashboard.Widgets;

namespace Octocom.Dashboard.Studio;

/// <summary>Everything the studio shows about one run — a test run just finished, or a stored run from the history.</summary>
public sealed record StudioRunView
{
    public required FunctionKind Kind { get; init; }
    public required ScriptRunStatus Status { get; init; }
    public TimeSpan Duration { get; init; }
    public long? RunId { get; init; }
    public int? FunctionVersion { get; init; }
    public RunTrigger Trigger { get; init; } = RunTrigger.Test;
    /// <summary>The returned value as pretty JSON ("" when the run returned nothing).</summary>
    public string ResultJson { get; init; } = "";
    public string Stdout { get; init; } = "";
    public string Stderr { get; init; } = "";
    public ScriptError? Error { get; init; }
    public IReadOnlyList<MetadataEffect> Metadata { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<EventEffect> Events { get; init; } = [];
    public IReadOnlyList<EffectRejection> Rejections { get; init; } = [];
    public bool EffectsApplied { get; init; }
    /// <summary>The run was asked to apply its effects (false: a dry run).</summary>
    public bool ApplyRequested { get; init; }
    /// <summary>The exact context the script received, pretty JSON.</summary>
    public string ContextJson { get; init; } = "";
    /// <summary>Sidebar widgets: the card exactly as agents will see it.</summary>
    public WidgetRunOutcome? Widget { get; init; }

    public bool HasEffects => Metadata.Count + Tags.Count + Events.Count + Rejections.Count > 0;

    public static StudioRunView From(ScriptRunOutcome outcome, FunctionKind kind, bool applyRequested, int? version, WidgetResultChecker checker)
    {
        var result = outcome.Result;
        return new StudioRunView
        {
            Kind = kind,
            Status = kind == FunctionKind.SidebarWidget ? WidgetRunOutcome.From(result, checker).Status : result.Status,
            Duration = result.Duration,
            RunId = outcome.RunId,
            FunctionVersion = version,
            ResultJson = result.Result is null ? "" : result.Result.ToJsonString(JsonText.Indented),
            Stdout = result.Stdout,
            Stderr = result.Stderr,
            Error = result.Error,
            Metadata = result.Effects.Metadata,
            Tags = result.Effects.Tags,
            Events = result.Effects.Events,
            Rejections = outcome.Rejections,
            EffectsApplied = outcome.EffectsApplied,
            ApplyRequested = applyRequested,
            ContextJson = outcome.ContextJson,
            Widget = kind == FunctionKind.SidebarWidget ? WidgetRunOutcome.From(result, checker) : null,
        };
    }

    public static StudioRunView From(ScriptRun run, WidgetResultChecker checker)
    {
        var effects = ParseEffects(run.EffectsJson);
        var widget = run.Kind == FunctionKind.SidebarWidget ? WidgetRunOutcome.From(run, checker) : null;
        return new StudioRunView
        {
            Kind = run.Kind,
            Status = widget?.Status ?? run.Status,
            Duration = TimeSpan.FromMilliseconds(run.DurationMs),
            RunId = run.Id,
            FunctionVersion = run.FunctionVersion,
            Trigger = run.Trigger,
            ResultJson = JsonText.TryPretty(run.ResultJson, out var pretty) ? pretty : run.ResultJson ?? "",
            Stdout = run.Stdout,
            Stderr = run.Stderr,
            Error = run.ErrorType is null && run.ErrorMessage is null
                ? null
                : new ScriptError(run.ErrorType ?? "", run.ErrorMessage ?? "", run.Traceback, run.ErrorLine),
            Metadata = effects.Metadata,
            Tags = effects.Tags,
            Events = effects.Events,
            Rejections = effects.Rejections,
            EffectsApplied = run.EffectsApplied,
            ApplyRequested = run.EffectsApplied,
            ContextJson = run.ContextJson ?? "",
            Widget = widget,
        };
    }

    private sealed record StoredEffects(List<MetadataEffect> Metadata, List<string> Tags, List<EventEffect> Events, List<EffectRejection> Rejections);

    /// <summary>Reads <see cref="ScriptRun.EffectsJson"/> (written by <see cref="ScriptRunner.EffectsJson"/>); unreadable → none.</summary>
    private static StoredEffects ParseEffects(string? json)
    {
        var none = new StoredEffects([], [], [], []);
        if (string.IsNullOrWhiteSpace(json)) return none;
        try
        {
            if (JsonNode.Parse(json) is not JsonObject root) return none;
            return new StoredEffects(
                (root["metadata"] as JsonArray ?? []).OfType<JsonObject>().Select(m => new MetadataEffect((string?)m["key"] ?? "", (string?)m["value"])).ToList(),
                (root["tags"] as JsonArray ?? []).Select(t => (string?)t).OfType<string>().ToList(),
                (root["events"] as JsonArray ?? []).OfType<JsonObject>()
                    .Select(e => new EventEffect((string?)e["type"] ?? "", (string?)e["description"] ?? "", e["data"]?.DeepClone())).ToList(),
                (root["rejections"] as JsonArray ?? []).OfType<JsonObject>()
                    .Select(r => new EffectRejection((string?)r["effect"] ?? "", (string?)r["target"] ?? "", (string?)r["rule"] ?? "", (string?)r["message"] ?? "")).ToList());
        }
        catch (JsonException)
        {
            return none;
        }
    }
}
