using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;
using Octocom.Dashboard.Widgets;

namespace Octocom.Dashboard.Tests.Widgets;

/// <summary>Per-widget health over stored runs: only sidebar runs count, failures within 24 hours, tenant-scoped.</summary>
public sealed class WidgetHealthServiceTests : TwoTenantTest
{
    private async Task AddRunsAsync(TestData.Tenant tenant, params ScriptRun[] runs)
    {
        await using var scope = App.ScopeFor(tenant.OrganizationId);
        await using var db = scope.Db();
        db.ScriptRuns.AddRange(runs);
        await db.SaveChangesAsync();
    }

    private static ScriptRun Run(SidebarWidget widget, ScriptRunStatus status, double hoursAgo, RunTrigger trigger = RunTrigger.Sidebar,
        string? errorType = null, string? errorMessage = null) => new()
    {
        FunctionId = widget.Id, FunctionName = widget.Name, FunctionVersion = widget.Version, Kind = FunctionKind.SidebarWidget,
        Trigger = trigger, Status = status, ErrorType = errorType, ErrorMessage = errorMessage,
        StartedAt = DateTime.UtcNow.AddHours(-hoursAgo),
    };

    private async Task<IReadOnlyList<WidgetHealth>> HealthAsync(TestData.Tenant tenant)
    {
        await using var scope = App.ScopeFor(tenant.OrganizationId);
        return await scope.Get<WidgetHealthService>().GetAllAsync();
    }

    [Fact]
    public async Task GetAllAsync_FailingWidget_ShowsLastErrorAndFailuresInTheLastDay()
    {
        var crm = await App.CreateWidgetAsync(Acme, "CRM", "", sortOrder: 1);
        var orders = await App.CreateWidgetAsync(Acme, "Orders", "", sortOrder: 2);
        await AddRunsAsync(Acme,
            Run(crm, ScriptRunStatus.Error, 30, errorType: "KeyError", errorMessage: "'old'"),   // outside the window
            Run(crm, ScriptRunStatus.Ok, 5),
            Run(crm, ScriptRunStatus.Timeout, 3, errorType: "Timeout", errorMessage: "The script did not finish within 10 s and was stopped."),
            Run(crm, ScriptRunStatus.Cancelled, 2.5),                                               // the agent left: not a failure
            Run(crm, ScriptRunStatus.Invalid, 2, errorType: WidgetResultChecker.FormatErrorType,
                errorMessage: "The result does not match the sidebar widget format (1 problem):\n- title: is required (a string)"),
            Run(crm, ScriptRunStatus.Ok, 1, trigger: RunTrigger.Test),                              // a studio test run: not counted
            Run(orders, ScriptRunStatus.Ok, 1));

        var health = await HealthAsync(Acme);

        Assert.Equal(["CRM", "Orders"], health.Select(h => h.Name));
        var failing = health[0];
        Assert.True(failing.IsFailing);
        Assert.Equal(ScriptRunStatus.Invalid, failing.LastStatus);
        Assert.Equal("WidgetFormatError: The result does not match the sidebar widget format (1 problem):", failing.LastError);
        Assert.Equal(4, failing.RunsLast24Hours);
        Assert.Equal(2, failing.FailuresLast24Hours);
        var healthy = health[1];
        Assert.False(healthy.IsFailing);
        Assert.Equal((ScriptRunStatus?)ScriptRunStatus.Ok, healthy.LastStatus);
        Assert.Null(healthy.LastError);
        Assert.Equal((1, 0), (healthy.RunsLast24Hours, healthy.FailuresLast24Hours));
    }

    [Fact]
    public async Task GetAllAsync_WidgetNeverRunOrInactive_IsListedWithoutStatus()
    {
        await App.CreateWidgetAsync(Acme, "Draft", "", active: false);

        var health = Assert.Single(await HealthAsync(Acme));

        Assert.False(health.IsActive);
        Assert.Null(health.LastStatus);
        Assert.False(health.IsFailing);
        Assert.Equal((0, 0), (health.RunsLast24Hours, health.FailuresLast24Hours));
    }

    [Fact]
    public async Task GetAllAsync_AnotherOrganizationsWidgetsAndRuns_AreNotSeen()
    {
        var other = Globex;
        var theirs = await App.CreateWidgetAsync(other, "Theirs", "");
        await AddRunsAsync(other, Run(theirs, ScriptRunStatus.Error, 1, errorType: "KeyError", errorMessage: "x"));
        await App.CreateWidgetAsync(Acme, "Mine", "");

        Assert.Equal(["Mine"], (await HealthAsync(Acme)).Select(h => h.Name));
        await using var scope = App.ScopeFor(Acme.OrganizationId);
        Assert.Null(await scope.Get<WidgetHealthService>().GetAsync(theirs.Id));
    }
}
