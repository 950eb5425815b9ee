using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;

namespace Octocom.Dashboard.Widgets;

/// <summary>
/// Parse, then validate: the one way a widget result becomes something a card can show. Used by the sidebar runner,
/// the script studio's test preview and anything that re-renders a stored run.
/// </summary>
public sealed class WidgetResultChecker(IValidator<WidgetResult> validator)
{
    public CheckedWidgetResult Check(JsonNode? json)
    {
        var result = WidgetResultParser.Parse(json);
        var problems = validator.Validate(result).Errors
            .Select(f => new WidgetProblem(f.PropertyName, f.ErrorMessage,
                f.Severity == Severity.Error ? WidgetProblemSeverity.Error : WidgetProblemSeverity.Warning))
            .OrderBy(p => p.Severity) // stable: errors first, each group in validation order
            .ToList();
        return new CheckedWidgetResult(result, problems);
    }

    /// <summary>A stored result (e.g. <c>ScriptRun.ResultJson</c>); text that is not JSON is reported and kept as the raw value.</summary>
    public CheckedWidgetResult Check(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return Check((JsonNode?)null);
        try
        {
            return Check(JsonNode.Parse(json));
        }
        catch (JsonException e)
        {
            var raw = JsonValue.Create(json);
            return new CheckedWidgetResult(WidgetResultParser.Parse(raw),
                [new WidgetProblem(WidgetResultValidator.RootPath, $"is not valid JSON ({e.Message})", WidgetProblemSeverity.Error)]);
        }
    }
}
