using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;

namespace Octocom.Dashboard.Tests.Scripting;

[Collection(PythonEngineCollection.Name)]
public sealed class PythonScriptEngineTests(PythonEngineFixture engine)
{
    [Fact]
    public async Task Run_TrivialWidget_ReturnsResultStdoutAndDuration()
    {
        var result = await engine.RunAsync(
            "def get_sidebar_data(context):\n    print('subject:', context['conversation']['subject'])\n    return {'title': 'CRM', 'items': []}\n");

        Assert.Equal(ScriptRunStatus.Ok, result.Status);
        Assert.Equal("{\"title\":\"CRM\",\"items\":[]}", result.Result!.ToJsonString());
        Assert.Equal("subject: Where is my order?\n", result.Stdout);
        Assert.Equal("", result.Stderr);
        Assert.Null(result.Error);
        Assert.True(result.Duration > TimeSpan.Zero);
    }

    [Theory]
    [InlineData(FunctionKind.SidebarWidget, "get_sidebar_data")]
    [InlineData(FunctionKind.EventHandler, "handle_event")]
    [InlineData(FunctionKind.CustomAction, "execute_action")]
    [InlineData(FunctionKind.ConditionProvider, "check_condition")]
    public async Task Run_EachKind_CallsItsEntryPoint(FunctionKind kind, string entryPoint)
    {
        var result = await engine.RunAsync($"def {entryPoint}(context):\n    return '{entryPoint}'\n", kind: kind);

        Assert.Equal(ScriptRunStatus.Ok, result.Status);
        Assert.Equal(entryPoint, (string?)result.Result);
    }

    [Fact]
    public async Task Run_LargeContext_IsDeliveredWhole()
    {
        var context = PythonEngineFixture.SampleContext();
        var messages = context["conversation"]!["messages"]!.AsArray();
        for (var i = 0; i < 5000; i++)
            messages.Add(new System.Text.Json.Nodes.JsonObject
            {
                ["sender"] = "customer", ["timestamp"] = "2026-11-23T10:00:00.000Z", ["content"] = $"message {i} " + new string('x', 200), ["channel"] = "web",
            });

        var result = await engine.RunAsync(
            "def get_sidebar_data(context):\n    m = context['conversation']['messages']\n    return [len(m), m[-1]['content'][:12]]\n", context: context);

        Assert.True(result.Status == ScriptRunStatus.Ok, result.Error?.Message);
        Assert.Equal("[5001,\"message 4999\"]", result.Result!.ToJsonString());
    }

    [Fact]
    public async Task Run_ModuleAndGlobalStateFromAnEarlierRun_IsGone()
    {
        const string code = """
            import json
            counter = 0
            def get_sidebar_data(context):
                global counter
                counter += 1
                seen = getattr(json, 'octocom_marker', None)
                json.octocom_marker = 'set by an earlier run'
                context['conversation']['subject'] = 'mutated'
                return {'counter': counter, 'seen': seen}
            """;
        for (var i = 0; i < PythonEngineFixture.PoolSize * 2; i++)
        {
            var result = await engine.RunAsync(code);
            Assert.Equal("{\"counter\":1,\"seen\":null}", result.Result!.ToJsonString());
        }
    }

    [Fact]
    public async Task Run_ManyAtOnce_AtMostPoolSizeRunConcurrently()
    {
        const string code = "import time\n\ndef get_sidebar_data(context):\n    start = time.time()\n    time.sleep(0.3)\n    return [start, time.time()]\n";
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => engine.RunAsync(code)));

        Assert.All(results, r => Assert.Equal(ScriptRunStatus.Ok, r.Status));
        var spans = results.Select(r => (Start: (double)r.Result![0]!, End: (double)r.Result![1]!)).ToList();
        var maxOverlap = spans.Max(s => spans.Count(o => o.Start < s.End && s.Start < o.End && o.Start <= s.Start));
        Assert.InRange(maxOverlap, 1, PythonEngineFixture.PoolSize);
        Assert.InRange(engine.Engine.AliveWorkers, 1, PythonEngineFixture.PoolSize);
    }

    [Fact]
    public async Task Run_Cancelled_ReturnsCancelledAndThePoolRecovers()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var result = await engine.RunAsync("import time\n\ndef get_sidebar_data(context):\n    time.sleep(30)\n", ct: cts.Token);

        Assert.Equal(ScriptRunStatus.Cancelled, result.Status);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_SecretValues_AreMaskedInEveryOutput()
    {
        const string secret = "sk_live_51HxQ2example";
        var result = await engine.RunAsync("""
            import sys
            def get_sidebar_data(context):
                key = get_secret('CRM_API_KEY')
                print('using', key)
                sys.stderr.write('debug ' + key + '\n')
                set_conversation_metadata(context, 'last_key', key)
                return {'key': key, key: 'as a key too'}
            """, secrets: new Dictionary<string, string> { ["CRM_API_KEY"] = secret });

        Assert.Equal(ScriptRunStatus.Ok, result.Status);
        Assert.Equal("using ••••\n", result.Stdout);
        Assert.Equal("debug ••••\n", result.Stderr);
        Assert.Equal("••••", (string?)result.Result!["key"]);
        Assert.Equal("as a key too", (string?)result.Result!["••••"]);
        Assert.Equal("••••", result.Effects.Metadata.Single().Value);
        Assert.DoesNotContain(secret, result.Result.ToJsonString());
    }

    [Fact]
    public async Task Run_SecretInAnException_IsMaskedInMessageAndTraceback()
    {
        const string secret = "hunter2-very-secret";
        var result = await engine.RunAsync(
            "def get_sidebar_data(context):\n    raise ValueError('bad key ' + get_secret('TOKEN'))\n",
            secrets: new Dictionary<string, string> { ["TOKEN"] = secret });

        Assert.Equal(ScriptRunStatus.Error, result.Status);
        Assert.Equal("bad key ••••", result.Error!.Message);
        Assert.DoesNotContain(secret, result.Error.Traceback);
        Assert.Contains("bad key ••••", result.Error.Traceback);
    }

    [Fact]
    public async Task Run_UnknownSecret_RaisesHelperErrorListingDefinedNames()
    {
        var result = await engine.RunAsync("def get_sidebar_data(context):\n    return get_secret('MISSING')\n",
            secrets: new Dictionary<string, string> { ["CRM_API_KEY"] = "value-1234" });

        Assert.Equal(ScriptRunStatus.Error, result.Status);
        Assert.Equal("HelperError", result.Error!.Type);
        Assert.Contains("No secret named 'MISSING'", result.Error.Message);
        Assert.Contains("CRM_API_KEY", result.Error.Message);
        Assert.Equal(2, result.Error.Line);
    }

    [Fact]
    public async Task Run_HttpRequestWithRequests_ReachesTheNetwork()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[4096];
            _ = await stream.ReadAsync(buffer);
            var body = "{\"tier\": \"gold\"}";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"));
        });

        var result = await engine.RunAsync(
            $"import requests\n\ndef get_sidebar_data(context):\n    return requests.get('http://127.0.0.1:{port}/crm', timeout=5).json()\n");
        await server;

        Assert.True(result.Status == ScriptRunStatus.Ok, result.Error?.Message);
        Assert.Equal("gold", (string?)result.Result!["tier"]);
    }

    [Fact]
    public async Task Run_WorkerRecycledAfterMaxRuns_KeepsServing()
    {
        await using var app = await TestInfrastructure.TestApp.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Scripting:PoolSize"] = "1",
            ["Scripting:MaxRunsPerWorker"] = "2",
        });
        var recycling = (PythonScriptEngine)app.Services.GetService(typeof(PythonScriptEngine))!;
        for (var i = 0; i < 5; i++)
        {
            var result = await recycling.RunAsync(new ScriptRequest
            {
                Kind = FunctionKind.SidebarWidget,
                Code = "def get_sidebar_data(context):\n    return 1\n",
                Context = PythonEngineFixture.SampleContext(),
                Limits = PythonEngineFixture.Limits(),
            });
            Assert.Equal(ScriptRunStatus.Ok, result.Status);
        }
        // Two runs per worker: runs 1-2, 3-4 and 5 each had their own worker.
        Assert.InRange(recycling.WorkersStarted, 3, 4);
        Assert.Equal(1, recycling.AliveWorkers);
    }

    [Fact]
    public async Task Status_PythonMissing_IsUnavailableAndEveryRunSaysWhatToInstall()
    {
        var options = Options.Create(new ScriptingOptions { PythonPath = "/nonexistent/bin/python3" });
        await using var missing = new PythonScriptEngine(options, new NoCallbacks(), NullLogger<PythonScriptEngine>.Instance);

        Assert.False(missing.Status.Available);
        Assert.Contains("apt-get install -y python3", missing.Status.Description);
        var result = await missing.RunAsync(new ScriptRequest
        {
            Kind = FunctionKind.SidebarWidget, Code = "def get_sidebar_data(context):\n    return 1\n", Context = PythonEngineFixture.SampleContext(),
        });
        Assert.Equal(ScriptRunStatus.Unavailable, result.Status);
        Assert.Equal(missing.Status.Description, result.Error!.Message);
    }

    [Fact]
    public void Status_OnThisMachine_DescribesTheSandbox()
    {
        var status = engine.Engine.Status;

        Assert.True(status.Available);
        Assert.Equal(SandboxKind.Bubblewrap, status.Sandbox);
        Assert.StartsWith("/usr/bin/python3", status.PythonPath);
        Assert.DoesNotContain("shims", status.PythonPath);
        Assert.Contains(status.Protections, p => p.StartsWith("Filesystem:"));
        Assert.Equal(PythonEngineFixture.PoolSize, status.PoolSize);
    }

    [Fact]
    public async Task Dispose_StopsEveryWorkerProcess()
    {
        var app = await TestInfrastructure.TestApp.CreateAsync(settings: new Dictionary<string, string?> { ["Scripting:PoolSize"] = "1" });
        var own = (PythonScriptEngine)app.Services.GetService(typeof(PythonScriptEngine))!;
        var result = await own.RunAsync(new ScriptRequest
        {
            Kind = FunctionKind.SidebarWidget, Code = "def get_sidebar_data(context):\n    return 1\n",
            Context = PythonEngineFixture.SampleContext(), Limits = PythonEngineFixture.Limits(),
        });
        Assert.Equal(ScriptRunStatus.Ok, result.Status);
        var workers = own.WorkerProcessIds.ToList();
        Assert.Single(workers);
        Assert.True(Exists(workers[0]));

        await app.DisposeAsync();

        Assert.Equal(0, own.AliveWorkers);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (workers.Any(Exists) && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.DoesNotContain(workers, Exists);
    }

    private static bool Exists(int pid) => Directory.Exists($"/proc/{pid}");

    private sealed class NoCallbacks : IScriptHostCallbacks
    {
        public bool LlmConfigured => false;
        public bool SheetsConfigured => false;
        public Task<System.Text.Json.Nodes.JsonNode?> InvokeAsync(string method, System.Text.Json.Nodes.JsonObject parameters, CancellationToken ct) =>
            throw new InvalidOperationException("not configured");
    }
}
