using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.ChatApi;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Bench;

/// <summary>
/// Customer messages per second through the public chat API: the whole dashboard on Kestrel (loopback, SQLite file, WAL)
/// inside this process, many concurrent HTTP clients, each message carrying 10 custom-data keys (2 of them change on
/// every message, the page changes on every 5th). Client and server share the machine's cores.
/// Options: --clients 64 --seconds 15 --warmup 5.
/// </summary>
public sealed class ChatBenchmark : IBenchmark
{
    public string Name => "chat";
    public string Description => "public chat API: messages/s with 10 custom-data keys each (Kestrel on loopback, SQLite)";

    private const string Slug = "trailhead";

    public async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var clients = context.IntOption("--clients", 64);
        var seconds = context.IntOption("--seconds", 15);
        var warmup = context.IntOption("--warmup", 5);

        await using var app = await StartDashboardAsync(context.WorkDir);
        var baseUrl = LoopbackServer.BaseUrl(app.Services);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = clients,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
        }) { BaseAddress = new Uri(baseUrl) };

        var conversations = await Task.WhenAll(Enumerable.Range(0, clients).Select(i => StartAsync(http, i)));
        Console.WriteLine($"server {baseUrl}, {clients} clients, warm-up {warmup} s, measuring {seconds} s, {Environment.ProcessorCount} cores");

        var withIndex = await MeasureHttpAsync(http, conversations, warmup, seconds, "full-text index on", ct);
        await VerifyAsync(http, conversations[0]);
        await MeasureStoragePathAsync(app, conversations, seconds, ct);
        if (context.Args.Contains("--no-search-compare")) return;

        // Side by side in the same run: the inbox's full-text index costs each message an FTS5 insert (trigger, same
        // transaction). Without its triggers, then with them again (the database has grown meanwhile: averaging the two
        // "with" runs keeps the comparison fair).
        await SetSearchIndexAsync(app, enabled: false, ct);
        var withoutIndex = await MeasureHttpAsync(http, conversations, warmup, seconds, "full-text index off", ct);
        await SetSearchIndexAsync(app, enabled: true, ct);
        var withIndexAgain = await MeasureHttpAsync(http, conversations, warmup, seconds, "full-text index on", ct);
        var with = (withIndex + withIndexAgain) / 2;
        Console.WriteLine($"search:   {with:N0} messages/s with the full-text index (mean of two runs), {withoutIndex:N0}/s without: " +
            $"{(with / withoutIndex - 1) * 100:+0.0;-0.0} % (target: lose no more than 10 %); load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    }

    private static async Task SetSearchIndexAsync(WebApplication app, bool enabled, CancellationToken ct)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Data.DashboardDbContext>>()
            .CreateDbContextAsync(ct);
        var index = scope.ServiceProvider.GetRequiredService<Data.Search.IConversationSearchIndex>();
        if (enabled) await index.EnsureAsync(db, ct);
        else await index.SuspendAsync(db, ct);
    }

    /// <summary>Messages per second through the HTTP API over <paramref name="seconds"/> after a warm-up.</summary>
    private static async Task<double> MeasureHttpAsync(HttpClient http, BenchConversation[] conversations, int warmup, int seconds, string label,
        CancellationToken ct)
    {
        var clients = conversations.Length;

        var measuring = false;
        var stop = false;
        var latencies = new List<double>[clients];
        var errors = 0;
        var workers = conversations.Select((conversation, i) => Task.Run(async () =>
        {
            latencies[i] = new List<double>(50_000);
            var n = 0;
            while (!Volatile.Read(ref stop))
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await SendAsync(http, conversation, i, n++);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref errors);
                else if (Volatile.Read(ref measuring)) latencies[i].Add(elapsed);
            }
        }, ct)).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(warmup), ct);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring, true);
        await Task.Delay(TimeSpan.FromSeconds(seconds), ct);
        Volatile.Write(ref measuring, false);
        var wall = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Volatile.Write(ref stop, true);
        await Task.WhenAll(workers);

        var all = latencies.SelectMany(l => l).ToList();
        Console.WriteLine($"[{label}]");
        Console.WriteLine($"messages: {all.Count:N0} in {wall.TotalSeconds:F1} s = {all.Count / wall.TotalSeconds:N0} messages/s (target ≥ 2,000/s)");
        Console.WriteLine($"latency:  {Stats.Summary(all)}");
        Console.WriteLine($"cpu:      {cpu.TotalSeconds / wall.TotalSeconds:F2} cores busy (client + server in this process), " +
            $"{cpu.TotalMilliseconds * 1000 / Math.Max(1, all.Count):N0} µs CPU per message; errors: {errors}; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        return all.Count / wall.TotalSeconds;
    }

    /// <summary>
    /// The same messages straight into <see cref="ChatSendQueue"/> (no HTTP, no JSON, no client): what the storage path
    /// alone sustains, to separate its cost from the HTTP layer's.
    /// </summary>
    private static async Task MeasureStoragePathAsync(WebApplication app, BenchConversation[] conversations, int seconds, CancellationToken ct)
    {
        var queue = app.Services.GetRequiredService<ChatSendQueue>();
        var business = (await app.Services.GetRequiredService<PublicBusinessDirectory>().FindAsync(Slug, ct))!;
        var stop = false;
        var sent = 0;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var workers = conversations.Select((conversation, i) => Task.Run(async () =>
        {
            for (var n = 100_000; !Volatile.Read(ref stop); n++)
            {
                var data = CustomData(i, n).Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)).ToList();
                await queue.SendAsync(business, conversation.Id, conversation.Token, new ChatSendInput(
                    $"Message {n} from visitor {i}", data, new ChatPage($"https://www.trailhead.example/products/{n / 5}", "Product")));
                Interlocked.Increment(ref sent);
            }
        }, ct)).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(3, seconds / 2)), ct);
        Volatile.Write(ref stop, true);
        var count = Volatile.Read(ref sent);
        var wall = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        await Task.WhenAll(workers);
        Console.WriteLine($"storage:  {count / wall.TotalSeconds:N0} messages/s through ChatSendQueue without HTTP " +
            $"({cpu.TotalMilliseconds * 1000 / Math.Max(1, count):N0} µs CPU per message)");
    }

    private static async Task<WebApplication> StartDashboardAsync(string workDir)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "Octocom.Dashboard",
            ContentRootPath = workDir,
            EnvironmentName = "Production",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(workDir, "chat-bench.db")}",
            ["Database:KeysPath"] = Path.Combine(workDir, "keys"),
            ["DemoData:ConversationCount"] = "50",
            ["DemoData:CreateUsers"] = "false",
            ["ChatApi:PerTokenPermitLimit"] = "1000000",
            ["ChatApi:PerIpPermitLimit"] = "10000000",
            ["Scripting:WarmOnStart"] = "false", // no Python workers competing for the two cores
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.AddDashboard();
        var app = builder.Build();
        app.UseDashboard();
        await app.StartAsync();
        return app;
    }

    private sealed record BenchConversation(Guid Id, string Token);

    private static Dictionary<string, string> CustomData(int client, int n) => new()
    {
        ["user_id"] = $"user-{client}",
        ["email"] = $"bench-{client}@example.com",
        ["plan"] = client % 3 == 0 ? "enterprise" : "premium",
        ["locale"] = "en-US",
        ["currency"] = "USD",
        ["utm_source"] = "newsletter",
        ["experiment"] = "checkout-v2",
        ["store_id"] = $"store-{client % 7}",
        ["cart_value"] = (19.99 + n).ToString(CultureInfo.InvariantCulture),  // changes on every message
        ["current_product"] = $"product-{n % 50}",                             // changes on every message
    };

    private static async Task<BenchConversation> StartAsync(HttpClient http, int client)
    {
        var body = JsonSerializer.Serialize(new
        {
            message = "Hello from the benchmark",
            customData = CustomData(client, 0),
            page = new { url = "https://www.trailhead.example/", title = "Trailhead" },
            referrer = "https://www.google.com/",
            language = "en-US",
        });
        using var response = await http.PostAsync($"/api/chat/{Slug}/conversations", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new BenchConversation(json.RootElement.GetProperty("conversationId").GetGuid(), json.RootElement.GetProperty("token").GetString()!);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, BenchConversation conversation, int client, int n)
    {
        var body = new BenchSend($"Message {n} from visitor {client}: is my order on its way?", CustomData(client, n),
            new BenchPage($"https://www.trailhead.example/products/{n / 5}", "Product"));
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, BenchJson.Default.BenchSend));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/chat/{Slug}/conversations/{conversation.Id}/messages") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", conversation.Token);
        return http.SendAsync(request);
    }

    /// <summary>Sanity check: the messages really landed (polls the first conversation's history).</summary>
    private static async Task VerifyAsync(HttpClient http, BenchConversation conversation)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/chat/{Slug}/conversations/{conversation.Id}/messages?after=0&wait=0");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", conversation.Token);
        using var response = await http.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Console.WriteLine($"check:    first conversation returns {json.RootElement.GetProperty("messages").GetArrayLength()} messages on its first page (HTTP {(int)response.StatusCode})");
    }
}

internal sealed record BenchPage(string Url, string Title);

internal sealed record BenchSend(string Message, Dictionary<string, string> CustomData, BenchPage Page);

/// <summary>The client side serialises with source-generated JSON so the benchmark spends its CPU on the server.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(BenchSend))]
internal sealed partial class BenchJson : System.Text.Json.Serialization.JsonSerializerContext;
