using Microsoft.Extensions.Options;
using System.Text.Json.Nodes;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;
using Octocom.Dashboard.Widgets;

namespace Octocom.Dashboard.Tests.Widgets;

/// <summary>Builds checked results and run outcomes the way the sidebar will: real parser, real validator.</summary>
public static class WidgetResults
{
    public static WidgetResultChecker Checker(WidgetsOptions? bounds = null) =>
        new(new WidgetResultValidator(Options.Create(bounds ?? new WidgetsOptions())));

    public static CheckedWidgetResult Check(string json, WidgetsOptions? bounds = null) => Checker(bounds).Check(JsonNode.Parse(json));

    public static CheckedWidgetResult Check(JsonNode? json, WidgetsOptions? bounds = null) => Checker(bounds).Check(json);

    /// <summary>A successful run that returned <paramref name="json"/>.</summary>
    public static WidgetRunOutcome Returned(JsonNode? json, WidgetsOptions? bounds = null) =>
        WidgetRunOutcome.From(new ScriptResult { Status = ScriptRunStatus.Ok, Result = json, Duration = TimeSpan.FromMilliseconds(42) },
            Checker(bounds));

    public static WidgetRunOutcome Returned(string json, WidgetsOptions? bounds = null) => Returned(JsonNode.Parse(json), bounds);

    public static WidgetRunOutcome Failed(ScriptRunStatus status, ScriptError? error = null, double seconds = 0) =>
        WidgetRunOutcome.From(new ScriptResult { Status = status, Error = error, Duration = TimeSpan.FromSeconds(seconds) }, Checker());

    /// <summary>A one-item result whose item is <paramref name="itemJson"/> — for tests about one item property.</summary>
    public static string WithItem(string itemJson) => $$"""{"title": "W", "items": [{{itemJson}}]}""";

    /// <summary>A one-item, one-section result whose section is <paramref name="sectionJson"/>.</summary>
    public static string WithSection(string sectionJson) => WithItem($$"""{"title": "I", "sections": [{{sectionJson}}]}""");
}
