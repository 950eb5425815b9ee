using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Events;

/// <summary>
/// A tiny fake webhook receiver on 127.0.0.1 (real Kestrel) that handlers call from their sandbox:
/// <c>POST /hook/{name}</c> records the body; <c>GET /gate/{name}</c> answers "closed" until the test calls
/// <see cref="Open"/>, so a test can hold a handler mid-run without sleeping on a clock; <c>GET /count/{name}</c>
/// answers 1, 2, 3 … on successive calls (a handler can tell its first attempt from a retry).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Name, string Body, DateTime At);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly ConcurrentDictionary<string, bool> _open = new();
    private readonly ConcurrentDictionary<string, int> _gateCalls = new();
    private readonly ConcurrentDictionary<string, int> _counters = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<Received> Requests => _received.ToArray();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var app = LoopbackServer.CreateBuilder().Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook/{name}", async (string name, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            receiver._received.Enqueue(new Received(name, await reader.ReadToEndAsync(), DateTime.UtcNow));
            return Results.Json(new { ok = true });
        });
        app.MapGet("/gate/{name}", (string name) =>
        {
            receiver._gateCalls.AddOrUpdate(name, 1, (_, n) => n + 1);
            return receiver._open.ContainsKey(name) ? "open" : "closed";
        });
        app.MapGet("/count/{name}", (string name) => receiver._counters.AddOrUpdate(name, 1, (_, n) => n + 1).ToString());
        receiver.BaseUrl = await LoopbackServer.StartAsync(app);
        return receiver;
    }

    public string HookUrl(string name) => $"{BaseUrl}/hook/{name}";
    public string GateUrl(string name) => $"{BaseUrl}/gate/{name}";
    public string CountUrl(string name) => $"{BaseUrl}/count/{name}";

    public void Open(string gate) => _open[gate] = true;

    /// <summary>A handler is waiting at (has asked) the gate.</summary>
    public bool IsWaitingAt(string gate) => _gateCalls.ContainsKey(gate);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
