using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Actions;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;
using Octocom.Dashboard.Scripting.Functions;
using Octocom.Dashboard.Studio;
using Octocom.Dashboard.Tests.Studio;

namespace Octocom.Dashboard.Tests.Scripting.Functions;

/// <summary>The save-time compile check against real python3 in the sandbox: nothing in the code runs.</summary>
[Collection(StudioAppCollection.Name)]
public sealed class ScriptCodeCheckerTests(StudioAppFixture fixture)
{
    private ScriptCodeChecker Checker => new(fixture.App.Services.GetRequiredService<IScriptEngine>());

    private Task<CodeCheckResult> CheckAsync(string code, FunctionKind kind = FunctionKind.SidebarWidget) =>
        Checker.CheckAsync(kind, code, "CRM");

    [Fact]
    public async Task Check_ValidWidget_PassesWithTheEntryPointLine()
    {
        var check = await CheckAsync("import json\n\n\ndef get_sidebar_data(context):\n    return {'title': 'x', 'items': []}\n");
        Assert.Equal(CodeCheckOutcome.Passed, check.Outcome);
        Assert.Equal(4, check.EntryPointLine);
    }

    [Fact]
    public async Task Check_SyntaxError_FailsWithLineAndColumn()
    {
        var check = await CheckAsync("def get_sidebar_data(context):\n    x = 1\n    return {'title': (x, 'items': []}\n");
        Assert.Equal(CodeCheckOutcome.Failed, check.Outcome);
        Assert.Equal("SyntaxError", check.Error!.Type);
        Assert.Equal(3, check.Error.Line);
        Assert.NotNull(check.Error.Column);
        Assert.InRange(check.Error.Column!.Value, 5, 40);
    }

    [Fact]
    public async Task Check_IndentationError_ReportsTheLine()
    {
        var check = await CheckAsync("def get_sidebar_data(context):\n    a = 1\n      b = 2\n    return a\n");
        Assert.Equal(CodeCheckOutcome.Failed, check.Outcome);
        Assert.Equal("IndentationError", check.Error!.Type);
        Assert.Equal(3, check.Error.Line);
    }

    [Fact]
    public async Task Check_MissingEntryPoint_SaysWhichFunctionToDefine()
    {
        var check = await CheckAsync("def get_data(context):\n    return 1\n");
        Assert.Equal(CodeCheckOutcome.Failed, check.Outcome);
        Assert.Equal("EntryPointError", check.Error!.Type);
        Assert.Contains("does not define get_sidebar_data(context)", check.Error.Message);
    }

    [Fact]
    public async Task Check_EntryPointOfAnotherKind_Fails()
    {
        var check = await CheckAsync("def get_sidebar_data(context):\n    return 1\n", FunctionKind.ConditionProvider);
        Assert.Equal(CodeCheckOutcome.Failed, check.Outcome);
        Assert.Contains("check_condition", check.Error!.Message);
    }

    [Theory]
    [InlineData("def get_sidebar_data():\n    return 1\n")]
    [InlineData("def get_sidebar_data(context, extra):\n    return 1\n")]
    [InlineData("def get_sidebar_data(context, *, key):\n    return 1\n")]
    public async Task Check_EntryPointWithoutExactlyOneParameter_FailsOnItsLine(string code)
    {
        var check = await CheckAsync("import json\n" + code);
        Assert.Equal(CodeCheckOutcome.Failed, check.Outcome);
        Assert.Contains("must take exactly one argument", check.Error!.Message);
        Assert.Equal(2, check.Error.Line);
    }

    [Theory]
    [InlineData("def get_sidebar_data(context, extra=None):\n    return 1\n")]
    [InlineData("def get_sidebar_data(*args):\n    return 1\n")]
    [InlineData("if True:\n    def get_sidebar_data(context):\n        return 1\n")]
    [InlineData("def make():\n    return lambda context: 1\nget_sidebar_data = make()\n")]
    public async Task Check_EntryPointCallableWithTheContext_Passes(string code)
    {
        var check = await CheckAsync(code);
        Assert.True(check.Outcome == CodeCheckOutcome.Passed, check.Error?.Message);
    }

    [Fact]
    public async Task Check_AsyncEntryPoint_Fails()
    {
        var check = await CheckAsync("async def get_sidebar_data(context):\n    return 1\n");
        Assert.Equal(CodeCheckOutcome.Failed, check.Outcome);
        Assert.Contains("async def", check.Error!.Message);
    }

    [Fact]
    public async Task Check_ModuleLevelCode_IsNotExecuted()
    {
        // Would fail (and print) if the module ran; the check only compiles and reads the syntax tree.
        var check = await CheckAsync("print('side effect')\nraise RuntimeError('module code ran')\n\ndef get_sidebar_data(context):\n    return 1\n");
        Assert.True(check.Outcome == CodeCheckOutcome.Passed, check.Error?.Message);
    }

    [Fact]
    public async Task Check_ReturnOutsideFunction_IsACompileError()
    {
        // Found by the compiler's symbol pass, not by the parser: the check compiles fully.
        var check = await CheckAsync("return 5\n\ndef get_sidebar_data(context):\n    return 1\n");
        Assert.Equal(CodeCheckOutcome.Failed, check.Outcome);
        Assert.Equal(1, check.Error!.Line);
    }

    [Theory]
    [InlineData(FunctionKind.SidebarWidget)]
    [InlineData(FunctionKind.EventHandler)]
    [InlineData(FunctionKind.CustomAction)]
    [InlineData(FunctionKind.ConditionProvider)]
    public async Task Check_StarterTemplate_Passes(FunctionKind kind)
    {
        var check = await Checker.CheckAsync(kind, StarterTemplates.For(kind), "Starter");
        Assert.True(check.Outcome == CodeCheckOutcome.Passed, check.Error?.Message);
    }

    [Fact]
    public async Task Check_DemoFunctions_Pass()
    {
        foreach (var draft in new[] { DemoActionsContributor.OrderLookup, DemoActionsContributor.HighValueCart })
        {
            var check = await Checker.CheckAsync(draft.Kind, draft.Code, draft.Name);
            Assert.True(check.Outcome == CodeCheckOutcome.Passed, $"{draft.Name}: {check.Error?.Message}");
        }
    }
}
