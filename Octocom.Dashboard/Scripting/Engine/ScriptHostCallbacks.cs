using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Octocom.Dashboard.Scripting.Engine;

/// <summary>
/// What helpers ask of the dashboard during a run (they call back over the worker's channel): the LLM classifiers
/// and Google Sheets. A failure is an exception whose message the script sees as a HelperError.
/// </summary>
public interface IScriptHostCallbacks
{
    bool LlmConfigured { get; }
    bool SheetsConfigured { get; }
    Task<JsonNode?> InvokeAsync(string method, JsonObject parameters, CancellationToken ct);
}

/// <summary>
/// Forwards helper calls to the configured HTTP endpoints (<c>Scripting:Llm</c>, <c>Scripting:Sheets</c>).
/// Request and response bodies are documented in docs/scripting.md ("Helper endpoints").
/// </summary>
public sealed class HttpScriptHostCallbacks(IHttpClientFactory httpClients, IOptionsMonitor<ScriptingOptions> options) : IScriptHostCallbacks
{
    public const string HttpClientName = "octocom-scripting";

    public bool LlmConfigured => options.CurrentValue.Llm.IsConfigured;
    public bool SheetsConfigured => options.CurrentValue.Sheets.IsConfigured;

    public async Task<JsonNode?> InvokeAsync(string method, JsonObject parameters, CancellationToken ct)
    {
        var o = options.CurrentValue;
        switch (method)
        {
            case "llm_classify_binary":
            {
                var answer = await PostAsync(o.Llm, "LLM", new JsonObject
                {
                    ["task"] = "classify_binary",
                    ["prompt"] = parameters["prompt"]?.DeepClone(),
                    ["input"] = parameters["input"]?.DeepClone(),
                }, ct);
                return answer is JsonValue v && v.TryGetValue<bool>(out var yes)
                    ? JsonValue.Create(yes)
                    : throw new ScriptCallbackException($"The LLM endpoint answered {Show(answer)}; expected {{\"result\": true}} or {{\"result\": false}}.");
            }
            case "llm_classify_category":
            {
                var offered = (parameters["options"] as JsonArray ?? []).Select(n => (string?)n).OfType<string>().ToList();
                var answer = await PostAsync(o.Llm, "LLM", new JsonObject
                {
                    ["task"] = "classify_category",
                    ["prompt"] = parameters["prompt"]?.DeepClone(),
                    ["input"] = parameters["input"]?.DeepClone(),
                    ["options"] = new JsonArray(offered.Select(x => (JsonNode?)x).ToArray()),
                }, ct);
                var text = answer is JsonValue value && value.TryGetValue<string>(out var s) ? s.Trim() : null;
                var match = offered.FirstOrDefault(x => string.Equals(x, text, StringComparison.OrdinalIgnoreCase));
                return match is not null
                    ? JsonValue.Create(match)
                    : throw new ScriptCallbackException($"The LLM endpoint answered {Show(answer)}, which is not one of the options.");
            }
            case "add_google_sheets_row":
                await PostAsync(o.Sheets, "Google Sheets", new JsonObject
                {
                    ["sheetId"] = parameters["sheetId"]?.DeepClone(),
                    ["row"] = parameters["data"]?.DeepClone(),
                }, ct, resultRequired: false);
                return JsonValue.Create(true);
            default:
                throw new ScriptCallbackException($"Unknown helper call '{method}'.");
        }
    }

    private async Task<JsonNode?> PostAsync(HelperEndpointOptions endpoint, string name, JsonObject body, CancellationToken ct,
        bool resultRequired = true)
    {
        if (!endpoint.IsConfigured) throw new ScriptCallbackException($"No {name} endpoint is configured.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(endpoint.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Endpoint) { Content = JsonContent.Create(body) };
        if (!string.IsNullOrEmpty(endpoint.ApiKey))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.ApiKey);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
                throw new ScriptCallbackException($"The {name} endpoint answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
            if (!resultRequired) return null;
            var json = await response.Content.ReadFromJsonAsync<JsonNode>(timeout.Token);
            return json is JsonObject obj && obj.TryGetPropertyValue("result", out var result)
                ? result
                : throw new ScriptCallbackException($"The {name} endpoint answered {Show(json)}; expected an object with \"result\".");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ScriptCallbackException($"The {name} endpoint did not answer within {endpoint.Timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException e)
        {
            throw new ScriptCallbackException($"The {name} endpoint could not be reached: {e.Message}");
        }
        catch (System.Text.Json.JsonException)
        {
            throw new ScriptCallbackException($"The {name} endpoint did not answer with JSON.");
        }
    }

    private static string Show(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length > 200 ? text[..200] + "…" : text;
    }
}

public sealed class ScriptCallbackException(string message) : Exception(message);
