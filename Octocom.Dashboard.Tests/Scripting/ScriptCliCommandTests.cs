using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Scripting;

/// <summary><c>script run</c>: as a real child process (end to end) and in-process for the usage errors.</summary>
public sealed class ScriptCliCommandTests : IAsyncLifetime
{
    private TestApp _app = default!;
    private TestData.Tenant _tenant = default!;
    private Conversation _conversation = default!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.CreateAsync(settings: new Dictionary<string, string?> { ["Scripting:PoolSize"] = "1" });
        _tenant = await _app.CreateTenantAsync("acme");
        _conversation = await _app.CreateConversationAsync(_tenant, publicId: "C1I2L3", subject: "Refund please");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private string WriteScript(string name, string code)
    {
        var path = _app.Directory.File(name);
        File.WriteAllText(path, code);
        return path;
    }

    /// <summary>Runs the built dashboard (the same Octocom.Dashboard.dll the tests reference) as the CLI would be run.</summary>
    private async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _app.Directory.Path,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Octocom.Dashboard.dll"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["Database__ConnectionString"] = $"Data Source={_app.DatabasePath}";
        info.Environment["Database__KeysPath"] = _app.Directory.File("keys");
        info.Environment["DemoData__Enabled"] = "false";
        info.Environment["Scripting__PoolSize"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task ScriptRun_AsAProcess_PrintsTheResultAsJsonAndAppliesEffects()
    {
        var file = WriteScript("crm_sync.py", """
            def handle_event(context):
                print('closing', context['conversation']['publicId'])
                add_conversation_tag(context, 'synced')
                return {'event': context['args']['event_type']}
            """);
        var failing = WriteScript("broken.py", "def handle_event(context):\n    return {\n");

        var runs = await Task.WhenAll(
            RunCliAsync("script", "run", "--kind", "handler", "--file", file, "--conversation", "c1i2l3", "--organization", "acme",
                "--event", "conversation_closed", "--apply"),
            RunCliAsync("script", "run", "--kind", "handler", "--file", failing, "--conversation", "C1I2L3", "--organization", "acme",
                "--event", "conversation_closed"));

        var (exitCode, stdout, stderr) = runs[0];
        Assert.True(exitCode == 0, stdout + stderr);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal("ok", (string?)json["status"]);
        Assert.Equal("{\"event\":\"conversation_closed\"}", json["result"]!.ToJsonString());
        Assert.Equal("closing C1I2L3\n", (string?)json["stdout"]);
        Assert.Equal(true, (bool?)json["effectsApplied"]);
        Assert.NotNull((long?)json["runId"]);
        var tags = await _app.QueryAsync(_tenant.OrganizationId, db => db.Tags.Where(t => t.ConversationId == _conversation.Id).Select(t => t.Name).ToListAsync());
        Assert.Equal(["synced"], tags);
        var run = await _app.QueryAsync(_tenant.OrganizationId, db => db.ScriptRuns.SingleAsync(r => r.Id == (long)json["runId"]!));
        Assert.Equal((RunTrigger.Cli, "crm_sync.py"), (run.Trigger, run.FunctionName));

        var (failExit, failOut, _) = runs[1];
        Assert.Equal(ScriptCliCommand.ExitScriptFailed, failExit);
        var failure = JsonNode.Parse(failOut)!;
        Assert.Equal("error", (string?)failure["status"]);
        Assert.Equal("SyntaxError", (string?)failure["error"]!["type"]);
        Assert.Equal(2, (int?)failure["error"]!["line"]);
    }

    private async Task<(int ExitCode, JsonNode Json)> RunInProcessAsync(ScriptCliCommand.CliRun run)
    {
        var output = new StringWriter();
        var exit = await ScriptCliCommand.RunAsync(_app.Services, run, output, CancellationToken.None);
        return (exit, JsonNode.Parse(output.ToString())!);
    }

    private static ScriptCliCommand.CliRun Run(string kind, string file, string? conversation = "C1I2L3", string? args = null,
        string? eventType = null, string? organization = "acme") =>
        new(kind, new FileInfo(file), conversation, organization, null, args, eventType, false, null, 5, true, false);

    [Fact]
    public async Task ScriptRun_ActionWithoutConversation_UsesTheOrganizationsBusiness()
    {
        var file = WriteScript("action.py", "def execute_action(context):\n    return [context['business']['slug'], context['args']]\n");

        var (exit, json) = await RunInProcessAsync(Run("action", file, conversation: null, args: "{\"orderId\": 7}"));

        Assert.Equal(ScriptCliCommand.ExitOk, exit);
        Assert.Equal("[\"acme-shop\",{\"orderId\":7}]", json["result"]!.ToJsonString());
    }

    [Fact]
    public async Task ScriptRun_ShowContext_IncludesTheContext()
    {
        var file = WriteScript("widget.py", "def get_sidebar_data(context):\n    return {'title': 'x', 'items': []}\n");
        var output = new StringWriter();

        var exit = await ScriptCliCommand.RunAsync(_app.Services, Run("widget", file) with { ShowContext = true }, output, CancellationToken.None);

        Assert.Equal(ScriptCliCommand.ExitOk, exit);
        Assert.Equal("Refund please", (string?)JsonNode.Parse(output.ToString())!["context"]!["conversation"]!["subject"]);
    }

    [Fact]
    public async Task ScriptRun_Timeout_ExitsWithScriptFailure()
    {
        var file = WriteScript("slow.py", "import time\n\ndef get_sidebar_data(context):\n    time.sleep(10)\n");

        var (exit, json) = await RunInProcessAsync(Run("widget", file) with { TimeoutSeconds = 0.5 });

        Assert.Equal(ScriptCliCommand.ExitScriptFailed, exit);
        Assert.Equal("timeout", (string?)json["status"]);
        Assert.Equal(4, (int?)json["error"]!["line"]);
    }

    [Theory]
    [InlineData("gadget", "widget.py", null, "Unknown --kind 'gadget'")]
    [InlineData("widget", "missing.py", null, "does not exist")]
    [InlineData("action", "widget.py", "[1, 2]", "--args must be a JSON object")]
    public async Task ScriptRun_BadUsage_ExitsWithCannotRunAndSaysWhy(string kind, string file, string? args, string message)
    {
        WriteScript("widget.py", "def get_sidebar_data(context):\n    return 1\n");

        var (exit, json) = await RunInProcessAsync(Run(kind, _app.Directory.File(file), args: args));

        Assert.Equal(ScriptCliCommand.ExitCannotRun, exit);
        Assert.Contains(message, (string?)json["error"]!["message"]);
    }

    [Fact]
    public async Task ScriptRun_UnknownOrganization_ExitsWithCannotRun()
    {
        var file = WriteScript("widget.py", "def get_sidebar_data(context):\n    return 1\n");

        var (exit, json) = await RunInProcessAsync(Run("widget", file, organization: "nope"));

        Assert.Equal(ScriptCliCommand.ExitCannotRun, exit);
        Assert.Contains("Organization 'nope' does not exist", (string?)json["error"]!["message"]);
    }
}
