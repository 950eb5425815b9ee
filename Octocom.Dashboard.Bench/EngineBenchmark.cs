using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;

namespace Octocom.Dashboard.Bench;

/// <summary>
/// The Python engine: warm round-trip of a trivial sidebar widget over a 50-message context (p50/p99, target
/// p50 ≤ 2 ms, p99 ≤ 10 ms), the same with a fresh process per run (bare python3, and a fresh sandboxed worker), and
/// throughput with the pool saturated. Options: --runs N (warm runs, default 2000), --fresh N (default 30),
/// --seconds S (saturation, default 5), --pace-ms M (gap between paced warm runs, default 5).
/// "Paced" runs find their worker's next run process already forked and primed (the normal case); "back to back"
/// runs also compete with the previous run's clean-up and fork for the two CPUs.
/// </summary>
public sealed class EngineBenchmark : IBenchmark
{
    public string Name => "engine";
    public string Description => "Python engine: warm vs fresh-process round trip, saturated throughput";

    private const string Widget = """
        def get_sidebar_data(context):
            messages = context["conversation"]["messages"]
            return {"title": "CRM", "items": [{"title": context["conversation"]["subject"], "sections": [
                {"title": "Conversation", "fields": {"Messages": len(messages)}}]}]}
        """;

    public async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var runs = context.IntOption("--runs", 2000);
        var freshRuns = context.IntOption("--fresh", 30);
        var seconds = context.IntOption("--seconds", 5);
        var pace = context.IntOption("--pace-ms", 5);
        var request = Request(Context(50));

        await using (var engine = CreateEngine(new ScriptingOptions()))
        {
            var status = engine.Status;
            Console.WriteLine($"engine: {status.Description}");
            if (!status.Available) return;
            await engine.WarmUpAsync();
            for (var i = 0; i < 100; i++) await RunOkAsync(engine, request, ct);

            var warm = new List<double>(runs);
            for (var i = 0; i < runs; i++)
            {
                await Task.Delay(pace, ct);
                warm.Add(await TimeAsync(() => RunOkAsync(engine, request, ct)));
            }
            Console.WriteLine($"warm round trip, one run every {pace} ms:  {Stats.Summary(warm)}");

            var backToBack = new List<double>(runs);
            for (var i = 0; i < runs; i++) backToBack.Add(await TimeAsync(() => RunOkAsync(engine, request, ct)));
            Console.WriteLine($"warm round trip, back to back:          {Stats.Summary(backToBack)}");

            var bare = new List<double>();
            for (var i = 0; i < freshRuns; i++) bare.Add(await TimeAsync(() => FreshPythonAsync(status.PythonPath!, request, ct)));
            Console.WriteLine($"fresh python3 -I per run (no sandbox):  {Stats.Summary(bare)}  ratio p50 {Stats.Percentile(bare, 50) / Stats.Percentile(warm, 50):F0}x");

            var concurrency = status.PoolSize * 4;
            var latencies = new List<double>();
            var stopwatch = Stopwatch.StartNew();
            var until = DateTime.UtcNow.AddSeconds(seconds);
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                var mine = new List<double>();
                while (DateTime.UtcNow < until) mine.Add(await TimeAsync(() => RunOkAsync(engine, request, ct)));
                lock (latencies) latencies.AddRange(mine);
            }));
            Console.WriteLine($"saturated ({status.PoolSize} workers, {concurrency} callers): {latencies.Count / stopwatch.Elapsed.TotalSeconds:N0} runs/s, {Stats.Summary(latencies)}");
        }

        // A fresh sandboxed worker per run: a pool of one that replaces its worker after every run.
        await using (var fresh = CreateEngine(new ScriptingOptions { PoolSize = 1, MaxRunsPerWorker = 1 }))
        {
            await RunOkAsync(fresh, request, ct);
            var sandboxed = new List<double>();
            for (var i = 0; i < freshRuns; i++) sandboxed.Add(await TimeAsync(() => RunOkAsync(fresh, request, ct)));
            Console.WriteLine($"fresh sandboxed worker per run:         {Stats.Summary(sandboxed)}");
        }
    }

    private static PythonScriptEngine CreateEngine(ScriptingOptions options)
    {
        var services = new ServiceCollection();
        services.AddHttpClient();
        services.AddSingleton<IOptionsMonitor<ScriptingOptions>>(new StaticOptions(options));
        var provider = services.BuildServiceProvider();
        var callbacks = new HttpScriptHostCallbacks(provider.GetRequiredService<IHttpClientFactory>(), provider.GetRequiredService<IOptionsMonitor<ScriptingOptions>>());
        return new PythonScriptEngine(Options.Create(options), callbacks, NullLogger<PythonScriptEngine>.Instance);
    }

    private static ScriptRequest Request(JsonObject context) => new()
    {
        Kind = FunctionKind.SidebarWidget, Code = Widget, Context = context, FileName = "bench.py",
    };

    /// <summary>The shape <see cref="ScriptContextBuilder"/> produces, with <paramref name="messages"/> messages.</summary>
    private static JsonObject Context(int messages) => new()
    {
        ["conversation"] = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(), ["publicId"] = "A1B2C3", ["subject"] = "Where is my order?", ["businessSlug"] = "trailhead",
            ["initialChannel"] = "web", ["latestChannel"] = "web",
            ["messages"] = new JsonArray(Enumerable.Range(0, messages).Select(i => (JsonNode)new JsonObject
            {
                ["sender"] = i % 2 == 0 ? "customer" : "agent",
                ["timestamp"] = ScriptContextBuilder.Iso(DateTime.UtcNow.AddMinutes(i - messages)),
                ["content"] = $"Message {i}: my order #10{i:00} has not arrived yet, could you check the tracking number please?",
                ["channel"] = "web",
            }).ToArray()),
        },
        ["business"] = new JsonObject { ["name"] = "Trailhead Outfitters", ["slug"] = "trailhead" },
        ["customer"] = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["email"] = "ada@example.com", ["name"] = "Ada", ["phone"] = null, ["instagramUsername"] = null },
        ["browser_session"] = null,
    };

    private static async Task RunOkAsync(IScriptEngine engine, ScriptRequest request, CancellationToken ct)
    {
        var result = await engine.RunAsync(request, ct);
        if (result.Status != ScriptRunStatus.Ok) throw new InvalidOperationException($"{result.Status}: {result.Error?.Message}");
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var start = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private const string OneShot = """
        import sys, json
        req = json.loads(sys.stdin.read())
        g = {}
        exec(compile(req["code"], "bench.py", "exec"), g)
        print(json.dumps(g["get_sidebar_data"](req["context"])))
        """;

    /// <summary>What a run costs without warm workers: start python3, read the request, run, print, exit.</summary>
    private static async Task FreshPythonAsync(string python, ScriptRequest request, CancellationToken ct)
    {
        var info = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-I", "-c", OneShot }) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(new JsonObject { ["code"] = request.Code, ["context"] = request.Context.DeepClone() }.ToJsonString());
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0 || output.Length == 0) throw new InvalidOperationException("python3 failed");
    }

    private sealed class StaticOptions(ScriptingOptions value) : IOptionsMonitor<ScriptingOptions>
    {
        public ScriptingOptions CurrentValue => value;
        public ScriptingOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<ScriptingOptions, string?> listener) => null;
    }
}
