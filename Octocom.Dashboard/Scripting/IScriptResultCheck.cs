using System.Text.Json.Nodes;
using Octocom.Dashboard.Scripting.Engine;

namespace Octocom.Dashboard.Scripting;

/// <summary>
/// A feature's rule for the value a successful run of one function kind returns (e.g. the sidebar widget format).
/// <see cref="ScriptRunner"/> applies it to every run of that kind, whoever triggers it (sidebar, studio, CLI): an error
/// makes the run <see cref="ScriptRunStatus.Invalid"/> with that error, recorded like any other, and its effects are
/// not applied.
/// </summary>
public interface IScriptResultCheck
{
    FunctionKind Kind { get; }

    /// <summary>Null when <paramref name="result"/> is acceptable.</summary>
    ScriptError? Check(JsonNode? result);
}
