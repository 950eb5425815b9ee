using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;
using Octocom.Dashboard.Widgets;

namespace Octocom.Dashboard.Tests.Widgets;

public sealed class WidgetRunOutcomeTests
{
    [Fact]
    public void From_OkRunWithValidItems_IsOk()
    {
        var outcome = WidgetResults.Returned(SeedExamples.Crm());
        Assert.Equal(ScriptRunStatus.Ok, outcome.Status);
        Assert.Equal(WidgetCardState.Ok, outcome.CardState);
    }

    [Fact]
    public void From_OkRunWithNoItems_IsEmpty() =>
        Assert.Equal(WidgetCardState.Empty, WidgetResults.Returned(SeedExamples.Empty()).CardState);

    [Fact]
    public void From_OkRunBreakingTheFormat_IsInvalid()
    {
        var outcome = WidgetResults.Returned("""{"title": "CRM", "items": {}}""");
        Assert.Equal(ScriptRunStatus.Invalid, outcome.Status);
        Assert.Equal(WidgetCardState.Invalid, outcome.CardState);
    }

    [Fact]
    public void From_OkRunWithOnlyWarnings_StaysOk() =>
        Assert.Equal(ScriptRunStatus.Ok, WidgetResults.Returned(
            """{"title": "CRM", "items": [{"title": "a", "link": "javascript:x", "sections": []}]}""").Status);

    [Theory]
    [InlineData(ScriptRunStatus.Error)]
    [InlineData(ScriptRunStatus.Timeout)]
    [InlineData(ScriptRunStatus.Killed)]
    [InlineData(ScriptRunStatus.Cancelled)]
    [InlineData(ScriptRunStatus.Unavailable)]
    [InlineData(ScriptRunStatus.Invalid)]
    public void From_FailedRun_IsAnErrorWithoutAResult(ScriptRunStatus status)
    {
        var outcome = WidgetResults.Failed(status, new ScriptError("ValueError", "boom", Line: 3));
        Assert.Equal(status, outcome.Status);
        Assert.Null(outcome.Result);
        Assert.Equal(WidgetCardState.Error, outcome.CardState);
        Assert.Equal("boom", outcome.Error!.Message);
    }

    [Fact]
    public void From_StoredOkRun_ChecksTheStoredResultAgain()
    {
        var run = new ScriptRun { Status = ScriptRunStatus.Ok, ResultJson = SeedExamples.Subscriptions().ToJsonString(), DurationMs = 120 };
        var outcome = WidgetRunOutcome.From(run, WidgetResults.Checker());

        Assert.Equal(WidgetCardState.Ok, outcome.CardState);
        Assert.Equal("Subscriptions", outcome.Result!.Result.Title);
        Assert.Equal(TimeSpan.FromMilliseconds(120), outcome.Duration);
    }

    [Fact]
    public void From_StoredInvalidRun_ListsItsProblems()
    {
        var run = new ScriptRun { Status = ScriptRunStatus.Invalid, ResultJson = """{"title": "CRM"}""" };
        var outcome = WidgetRunOutcome.From(run, WidgetResults.Checker());

        Assert.Equal(WidgetCardState.Invalid, outcome.CardState);
        Assert.Equal("items: is required (a list)", Assert.Single(outcome.Result!.Problems).ToString());
    }

    [Fact]
    public void From_StoredFailedRun_CarriesTheError()
    {
        var run = new ScriptRun { Status = ScriptRunStatus.Error, ErrorType = "KeyError", ErrorMessage = "'email'", ErrorLine = 7, Traceback = "Traceback…" };
        var outcome = WidgetRunOutcome.From(run, WidgetResults.Checker());

        Assert.Equal(WidgetCardState.Error, outcome.CardState);
        Assert.Equal(new ScriptError("KeyError", "'email'", "Traceback…", 7), outcome.Error);
    }
}
