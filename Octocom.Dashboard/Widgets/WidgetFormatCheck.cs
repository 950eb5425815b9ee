using System.Text.Json.Nodes;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;

namespace Octocom.Dashboard.Widgets;

/// <summary>Every sidebar widget run — in the sidebar, the studio or the CLI — is recorded Invalid when its result breaks the format.</summary>
public sealed class WidgetFormatCheck(WidgetResultChecker checker) : IScriptResultCheck
{
    public FunctionKind Kind => FunctionKind.SidebarWidget;
    public ScriptError? Check(JsonNode? result) => checker.FormatError(result);
}
