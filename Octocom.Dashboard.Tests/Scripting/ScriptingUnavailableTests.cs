using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Scripting;

/// <summary>Without python3 the dashboard still starts, and every script feature says what to install.</summary>
public sealed class ScriptingUnavailableTests
{
    [Fact]
    public async Task Run_PythonMissing_AppStartsAndTheRunIsUnavailableAndRecorded()
    {
        await using var app = await TestApp.CreateAsync(settings: new Dictionary<string, string?> { ["Scripting:PythonPath"] = "/opt/no-python/bin/python3" });
        var tenant = await app.CreateTenantAsync();
        var conversation = await app.CreateConversationAsync(tenant);

        await using var scope = app.ScopeFor(tenant.OrganizationId);
        var status = scope.Get<IScriptEngine>().Status;
        var outcome = await scope.Get<ScriptRunner>().RunAsync(new ScriptRunRequest
        {
            Kind = FunctionKind.SidebarWidget, Code = "def get_sidebar_data(context):\n    return 1\n", Conversation = conversation.PublicId,
        });

        Assert.False(status.Available);
        Assert.Contains("/opt/no-python/bin/python3", status.Description);
        Assert.Contains("apt-get install -y python3 python3-requests", status.Description);
        Assert.Equal(ScriptRunStatus.Unavailable, outcome.Status);
        Assert.Equal(status.Description, outcome.Result.Error!.Message);
        var run = await app.QueryAsync(tenant.OrganizationId, db => db.ScriptRuns.SingleAsync());
        Assert.Equal(ScriptRunStatus.Unavailable, run.Status);
    }
}
