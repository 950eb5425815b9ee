using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Scripting;

/// <summary>LLM and Sheets helpers calling back through the dashboard to configured HTTP endpoints (a tiny local server).</summary>
public sealed class HelperEndpointTests : IAsyncLifetime
{
    private WebApplication _server = default!;
    private TestApp _app = default!;
    private readonly ConcurrentQueue<(string Path, JsonObject Body, string? Authorization)> _requests = new();

    public async Task InitializeAsync()
    {
        _server = LoopbackServer.CreateBuilder().Build();
        _server.MapPost("/llm", async (HttpContext http) =>
        {
            var body = await Record(http);
            return (string?)body["task"] switch
            {
                // A deterministic "model": refunds are about money, everything else is shipping.
                "classify_binary" => Results.Json(new { result = ((string?)body["input"] ?? "").Contains("money") }),
                "classify_category" => Results.Json(new { result = ((string?)body["input"] ?? "").Contains("money") ? "BILLING" : "shipping" }),
                _ => Results.BadRequest(),
            };
        });
        _server.MapPost("/llm-broken", async (HttpContext http) => { await Record(http); return Results.StatusCode(500); });
        _server.MapPost("/sheets", async (HttpContext http) => { await Record(http); return Results.Json(new { ok = true }); });
        var url = await LoopbackServer.StartAsync(_server);

        _app = await TestApp.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Scripting:PoolSize"] = "1",
            ["Scripting:Llm:Endpoint"] = url + "/llm",
            ["Scripting:Llm:ApiKey"] = "llm-test-key",
            ["Scripting:Sheets:Endpoint"] = url + "/sheets",
        });
    }

    private async Task<JsonObject> Record(HttpContext http)
    {
        var body = (JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync()) as JsonObject)!;
        _requests.Enqueue((http.Request.Path, body, http.Request.Headers.Authorization.FirstOrDefault()));
        return body;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _server.DisposeAsync();
    }

    private Task<ScriptResult> RunAsync(string code, FunctionKind kind = FunctionKind.EventHandler)
    {
        var context = PythonEngineFixture.SampleContext();
        if (kind.ReceivesArgs()) context["args"] = new JsonObject { ["event_type"] = EventTypes.ConversationClosed };
        return _app.Services.GetRequiredService<IScriptEngine>().RunAsync(new ScriptRequest
        {
            Kind = kind, Code = code, Context = context, Limits = PythonEngineFixture.Limits(),
        });
    }

    [Fact]
    public async Task LlmClassifyBinary_Configured_AsksTheEndpoint()
    {
        var result = await RunAsync("""
            def handle_event(context):
                return [llm_classify_binary('Is this a refund request?', 'I want my money back'),
                        llm_classify_binary('Is this a refund request?', 'Where is my parcel?', fallback=True)]
            """);

        Assert.True(result.Status == ScriptRunStatus.Ok, result.Error?.Message);
        Assert.Equal("[true,false]", result.Result!.ToJsonString());
        var (path, body, authorization) = _requests.First();
        Assert.Equal("/llm", path);
        Assert.Equal("Bearer llm-test-key", authorization);
        Assert.Equal("{\"task\":\"classify_binary\",\"prompt\":\"Is this a refund request?\",\"input\":\"I want my money back\"}", body.ToJsonString());
    }

    [Fact]
    public async Task LlmClassifyBinary_FromSeveralThreads_EachGetsItsOwnAnswer()
    {
        var result = await RunAsync("""
            from concurrent.futures import ThreadPoolExecutor
            def handle_event(context):
                texts = ['money back', 'parcel late', 'money now', 'hello'] * 3
                with ThreadPoolExecutor(max_workers=4) as pool:
                    return list(pool.map(lambda t: llm_classify_binary('Refund?', t), texts))
            """);

        Assert.True(result.Status == ScriptRunStatus.Ok, result.Error?.Message);
        Assert.Equal(string.Concat(Enumerable.Repeat("true,false,true,false,", 3)).TrimEnd(','), result.Result!.ToJsonString().Trim('[', ']'));
    }

    [Fact]
    public async Task LlmClassifyCategory_Configured_ReturnsTheMatchingOption()
    {
        var result = await RunAsync("""
            def handle_event(context):
                return llm_classify_category('Which team?', {'text': 'money please'}, ['billing', 'shipping'])
            """);

        Assert.True(result.Status == ScriptRunStatus.Ok, result.Error?.Message);
        Assert.Equal("billing", (string?)result.Result);
        var body = _requests.Single().Body;
        Assert.Equal("[\"billing\",\"shipping\"]", body["options"]!.ToJsonString());
        Assert.Equal("{\"text\": \"money please\"}", (string?)body["input"]);
    }

    [Fact]
    public async Task LlmClassifyCategory_AnswerNotAnOption_RaisesOrFallsBack()
    {
        var result = await RunAsync("""
            def handle_event(context):
                fallback = llm_classify_category('Which team?', 'parcel', ['billing', 'returns'], fallback='unknown')
                llm_classify_category('Which team?', 'parcel', ['billing', 'returns'])
            """);

        Assert.Equal(ScriptRunStatus.Error, result.Status);
        Assert.Equal("HelperError", result.Error!.Type);
        Assert.Contains("\"shipping\", which is not one of the options", result.Error.Message);
        Assert.Equal(3, result.Error.Line);
        Assert.Contains("returning the fallback 'unknown'", result.Stderr);
    }

    [Fact]
    public async Task AddGoogleSheetsRow_Configured_PostsTheRow()
    {
        var result = await RunAsync("""
            def handle_event(context):
                return add_google_sheets_row('sheet-123', {'Conversation ID': context['conversation']['publicId'], 'Messages': 1})
            """);

        Assert.True(result.Status == ScriptRunStatus.Ok, result.Error?.Message);
        Assert.Equal(true, (bool?)result.Result);
        var (path, body, _) = _requests.Single();
        Assert.Equal("/sheets", path);
        Assert.Equal("{\"sheetId\":\"sheet-123\",\"row\":{\"Conversation ID\":\"A1B2C3\",\"Messages\":1}}", body.ToJsonString());
    }

    [Fact]
    public async Task Llm_EndpointFailing_ReturnsFallbackOrRaisesWithTheHttpStatus()
    {
        await using var app = await TestApp.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Scripting:PoolSize"] = "1",
            ["Scripting:Llm:Endpoint"] = _server.Urls.First() + "/llm-broken",
        });
        var result = await app.Services.GetRequiredService<IScriptEngine>().RunAsync(new ScriptRequest
        {
            Kind = FunctionKind.SidebarWidget,
            Code = "def get_sidebar_data(context):\n    ok = llm_classify_binary('q', 'i', fallback=True)\n    print(ok)\n    return llm_classify_binary('q', 'i')\n",
            Context = PythonEngineFixture.SampleContext(),
            Limits = PythonEngineFixture.Limits(),
        });

        Assert.Equal(ScriptRunStatus.Error, result.Status);
        Assert.Contains("HTTP 500", result.Error!.Message);
        Assert.Equal(4, result.Error.Line);
        Assert.Equal("True\n", result.Stdout);
    }
}
