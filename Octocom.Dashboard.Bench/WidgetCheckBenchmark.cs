using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Widgets;

namespace Octocom.Dashboard.Bench;

/// <summary>
/// Parse + validate cost of a widget result (what every sidebar run pays on top of the script): a seed-sized result
/// and a large one far over the display bounds. Options: --iterations N (default 2000), --items N (default 200).
/// </summary>
public sealed class WidgetCheckBenchmark : IBenchmark
{
    public string Name => "widget-check";
    public string Description => "parse + validate sidebar widget results (seed-sized and oversized)";

    public Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var iterations = context.IntOption("--iterations", 2_000);
        var items = context.IntOption("--items", 200);
        var checker = new WidgetResultChecker(new WidgetResultValidator(Options.Create(new WidgetsOptions())));

        Measure("seed-sized (1 item, 1 section, 4 fields)", checker, Result(1, 1, 4), iterations);
        Measure($"oversized ({items} items × 5 sections × 20 fields)", checker, Result(items, 5, 20), Math.Max(20, iterations / 100));
        return Task.CompletedTask;
    }

    private static void Measure(string label, WidgetResultChecker checker, string json, int iterations)
    {
        for (var i = 0; i < 5; i++) checker.Check(JsonNode.Parse(json)); // warm-up
        var millis = new List<double>(iterations);
        var problems = 0;
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            problems = checker.Check(JsonNode.Parse(json)).Problems.Count;
            millis.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        Console.WriteLine($"{label}: {json.Length:N0} characters of JSON, {problems} problems; {Stats.Summary(millis)}");
    }

    private static string Result(int items, int sections, int fields) => new JsonObject
    {
        ["title"] = "CRM",
        ["items"] = new JsonArray(Enumerable.Range(1, items).Select(i => (JsonNode)new JsonObject
        {
            ["title"] = $"Account {i}",
            ["subtitle"] = $"customer{i}@example.com",
            ["link"] = $"https://crm.example.com/accounts/{i}",
            ["badge"] = new JsonObject { ["text"] = "Active", ["color"] = "green" },
            ["actions"] = new JsonArray(new JsonObject { ["label"] = "Open", ["link"] = $"https://crm.example.com/a/{i}" }),
            ["sections"] = new JsonArray(Enumerable.Range(1, sections).Select(s => (JsonNode)new JsonObject
            {
                ["title"] = $"Section {s}",
                ["collapsible"] = s > 1,
                ["fields"] = new JsonObject(Enumerable.Range(1, fields).Select(f =>
                    KeyValuePair.Create($"Field {f}", (JsonNode?)JsonValue.Create($"value {i}.{s}.{f}")))),
            }).ToArray()),
        }).ToArray()),
    }.ToJsonString();
}
