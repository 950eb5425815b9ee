using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Octocom.Dashboard.Scripting.Functions;

/// <summary>The arguments for one run, or what is wrong with the input (keyed by argument name, "" for the whole object).</summary>
public sealed record ArgumentValuesResult(JsonObject? Args, IReadOnlyDictionary<string, string> Errors)
{
    public bool IsValid => Args is not null && Errors.Count == 0;
}

/// <summary>
/// Turns what an admin or agent typed into <c>context["args"]</c> for a custom action or condition provider, following
/// the function's <see cref="ArgumentDefinition"/>s: string as typed, number/integer parsed (invariant culture),
/// boolean "true"/"false", json parsed. Empty optional arguments are left out; empty required ones are an error.
/// </summary>
public static class ArgumentValues
{
    public static ArgumentValuesResult FromInputs(IEnumerable<ArgumentDefinition> definitions, IReadOnlyDictionary<string, string?> inputs)
    {
        var args = new JsonObject();
        var errors = new Dictionary<string, string>();
        foreach (var definition in definitions)
        {
            inputs.TryGetValue(definition.Name, out var text);
            if (string.IsNullOrWhiteSpace(text) && definition.Type != "string" || string.IsNullOrEmpty(text))
            {
                if (definition.Required) errors[definition.Name] = $"{definition.Name} is required.";
                continue;
            }
            if (TryConvert(definition.Type, text, out var value, out var error)) args[definition.Name] = value;
            else errors[definition.Name] = $"{definition.Name}: {error}";
        }
        return new ArgumentValuesResult(errors.Count == 0 ? args : null, errors);
    }

    /// <summary>The raw-JSON fallback: any JSON object (required arguments must be present; types are the script's business).</summary>
    public static ArgumentValuesResult FromJson(IEnumerable<ArgumentDefinition> definitions, string? json)
    {
        JsonNode? node;
        try
        {
            node = string.IsNullOrWhiteSpace(json) ? new JsonObject() : JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            return new ArgumentValuesResult(null, new Dictionary<string, string> { [""] = $"The arguments are not valid JSON: {e.Message}" });
        }
        if (node is not JsonObject args)
            return new ArgumentValuesResult(null, new Dictionary<string, string> { [""] = "The arguments must be a JSON object, e.g. {\"orderId\": \"A-1001\"}." });
        var missing = definitions.Where(d => d.Required && !args.ContainsKey(d.Name))
            .ToDictionary(d => d.Name, d => $"{d.Name} is required.");
        return new ArgumentValuesResult(missing.Count == 0 ? args : null, missing);
    }

    /// <summary>The inputs as the raw JSON an admin can edit (switching the form to raw mode keeps what was typed).</summary>
    public static string ToJson(IEnumerable<ArgumentDefinition> definitions, IReadOnlyDictionary<string, string?> inputs)
    {
        var args = new JsonObject();
        foreach (var definition in definitions)
        {
            if (!inputs.TryGetValue(definition.Name, out var text) || string.IsNullOrEmpty(text)) continue;
            args[definition.Name] = TryConvert(definition.Type, text, out var value, out _) ? value : JsonValue.Create(text);
        }
        return args.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public static bool TryConvert(string type, string text, out JsonNode? value, out string error)
    {
        value = null;
        error = "";
        var trimmed = text.Trim();
        switch (type)
        {
            case "number" when double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number):
                value = JsonValue.Create(number);
                return true;
            case "number":
                error = $"'{text}' is not a number (use . for decimals).";
                return false;
            case "integer" when long.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer):
                value = JsonValue.Create(integer);
                return true;
            case "integer":
                error = $"'{text}' is not a whole number.";
                return false;
            case "boolean" when bool.TryParse(trimmed, out var flag):
                value = JsonValue.Create(flag);
                return true;
            case "boolean":
                error = $"'{text}' is not true or false.";
                return false;
            case "json":
                try
                {
                    value = JsonNode.Parse(trimmed);
                    return true;
                }
                catch (JsonException e)
                {
                    error = $"not valid JSON ({e.Message}).";
                    return false;
                }
            default:
                value = JsonValue.Create(text);
                return true;
        }
    }
}
