using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Octocom.Dashboard.Scripting.Engine;

namespace Octocom.Dashboard.Widgets;

/// <summary>
/// Parse, then validate: the one way a widget result becomes something a card can show. Used by the sidebar runner,
/// the script studio's test preview and anything that re-renders a stored run.
/// </summary>
public sealed class WidgetResultChecker(IValidator<WidgetResult> validator)
{
    /// <summary>The <see cref="ScriptError.Type"/> of a run whose result breaks the widget format (see <see cref="FormatError(JsonNode?)"/>).</summary>
    public const string FormatErrorType = "WidgetFormatError";

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

    /// <summary>
    /// For <see cref="Scripting.IScriptResultCheck"/>: null when <paramref name="result"/> follows the format (warnings
    /// allowed), else an error listing every problem, so the run is recorded as <c>Invalid</c> with what is wrong.
    /// </summary>
    public ScriptError? FormatError(JsonNode? result) => FormatError(Check(result));

    public static ScriptError? FormatError(CheckedWidgetResult checkedResult)
    {
        if (checkedResult.IsValid) return null;
        var errors = checkedResult.Errors.ToList();
        var headline = $"The result does not match the sidebar widget format ({errors.Count:N0} {(errors.Count == 1 ? "problem" : "problems")}):";
        return new ScriptError(FormatErrorType, string.Join("\n", errors.Select(e => "- " + e).Prepend(headline)));
    }
}
