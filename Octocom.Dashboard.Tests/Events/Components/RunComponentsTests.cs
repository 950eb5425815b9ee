using Bunit;
using Microsoft.AspNetCore.Components;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Events.Components;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Events.Components;

public sealed class RunComponentsTests : BunitTestContext
{
    private static EventJobView Job(EventJobStatus status, bool handlerActive = true, string? error = null) =>
        new(7, 3, "CRM sync", handlerActive, EventTypes.ConversationClosed, status, 2, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow,
            status is EventJobStatus.Failed or EventJobStatus.Succeeded ? DateTime.UtcNow : null, error, 41, ScriptRunStatus.Error);

    [Fact]
    public void RunTextBlock_Json_IsPrettyPrinted()
    {
        var cut = Render<RunTextBlock>(p => p.Add(x => x.Title, "Result").Add(x => x.Text, """{"status":"synced","ids":[1,2]}""")
            .Add(x => x.Json, true).Add(x => x.TestId, "run-result"));

        var text = cut.Find("[data-testid=run-result-text]").TextContent;
        Assert.Contains("\n", text);
        Assert.Contains("\"status\": \"synced\"", text);
    }

    [Fact]
    public void RunTextBlock_ScriptOutput_IsShownAsTextNeverAsMarkup()
    {
        var cut = Render<RunTextBlock>(p => p.Add(x => x.Title, "stdout").Add(x => x.Text, "<img src=x onerror=alert(1)> done")
            .Add(x => x.TestId, "run-stdout"));

        Assert.Empty(cut.FindAll("img"));
        Assert.Equal("<img src=x onerror=alert(1)> done", cut.Find("[data-testid=run-stdout-text]").TextContent);
    }

    [Fact]
    public void RunTextBlock_Empty_ShowsTheEmptyText()
    {
        var cut = Render<RunTextBlock>(p => p.Add(x => x.Title, "stderr").Add(x => x.Text, "").Add(x => x.Empty, "Nothing written."));
        Assert.Contains("Nothing written.", cut.Markup);
    }

    [Fact]
    public void EventJobCard_FailedJobOfActiveHandler_OffersReRun()
    {
        var clicked = 0;
        var cut = Render<EventJobCard>(p => p.Add(x => x.Job, Job(EventJobStatus.Failed, error: "Gave up after 3 attempt(s): Timeout"))
            .Add(x => x.OnRerun, EventCallback.Factory.Create(this, () => clicked++)));

        Assert.Contains("Gave up after 3 attempt(s)", cut.Find("[data-testid=event-job-error]").TextContent);
        cut.Find("[data-testid=rerun-button]").Click();
        Assert.Equal(1, clicked);
    }

    [Theory]
    [InlineData(EventJobStatus.Succeeded, true)]
    [InlineData(EventJobStatus.Pending, true)]
    [InlineData(EventJobStatus.Failed, false)]
    public void EventJobCard_NotFailedOrInactiveHandler_HasNoReRun(EventJobStatus status, bool handlerActive)
    {
        var cut = Render<EventJobCard>(p => p.Add(x => x.Job, Job(status, handlerActive)));
        Assert.Empty(cut.FindAll("[data-testid=rerun-button]"));
        if (!handlerActive) Assert.Contains("Activate the handler", cut.Markup);
    }

    [Fact]
    public void EventJobCard_ListsEveryAttemptWithLinks()
    {
        var runs = new[]
        {
            new RunRow(40, DateTime.UtcNow, "CRM sync", 3, FunctionKind.EventHandler, RunTrigger.Event, ScriptRunStatus.Timeout, 2000, 1, 7, null, null, "Timeout", "too slow"),
            new RunRow(41, DateTime.UtcNow, "CRM sync", 3, FunctionKind.EventHandler, RunTrigger.Event, ScriptRunStatus.Error, 12, 2, 7, null, null, "KeyError", "'id'"),
        };
        var cut = Render<EventJobCard>(p => p.Add(x => x.Job, Job(EventJobStatus.Failed)).Add(x => x.Runs, runs).Add(x => x.CurrentRunId, 41L));

        var links = cut.FindAll("[data-testid=event-job-runs] a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["/runs/40", "/runs/41"], links);
        Assert.Equal(["timeout", "error"], cut.FindAll("[data-testid=run-status]").Select(c => c.GetAttribute("data-status")));
    }
}
