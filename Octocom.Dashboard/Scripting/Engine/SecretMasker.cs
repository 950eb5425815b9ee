using System.Text.Json.Nodes;

namespace Octocom.Dashboard.Scripting.Engine;

/// <summary>
/// Replaces secret values with <see cref="Mask"/> in everything a run hands back (stdout, stderr, error, traceback,
/// result, effects). Values shorter than <see cref="MinimumLength"/> are not masked: masking "a" would erase
/// every "a" in the output and reveal the value just as well.
/// </summary>
public sealed class SecretMasker
{
    public const string Mask = "••••";
    public const int MinimumLength = 4;

    private readonly string[] _values;

    public SecretMasker(IEnumerable<string> secretValues) =>
        _values = secretValues.Where(v => v.Length >= MinimumLength).Distinct().OrderByDescending(v => v.Length).ToArray();

    public bool IsEmpty => _values.Length == 0;

    public string Apply(string text)
    {
        foreach (var value in _values)
            if (text.Contains(value, StringComparison.Ordinal))
                text = text.Replace(value, Mask, StringComparison.Ordinal);
        return text;
    }

    public string? ApplyOrNull(string? text) => text is null ? null : Apply(text);

    /// <summary>A copy of <paramref name="node"/> with secrets masked in every string and property name.</summary>
    public JsonNode? Apply(JsonNode? node) => node switch
    {
        null => null,
        _ when IsEmpty => node,
        JsonObject obj => MaskObject(obj),
        JsonArray array => new JsonArray(array.Select(Apply).ToArray()),
        JsonValue value when value.TryGetValue<string>(out var s) => JsonValue.Create(Apply(s)),
        _ => node.DeepClone(),
    };

    private JsonObject MaskObject(JsonObject obj)
    {
        var masked = new JsonObject();
        foreach (var (key, value) in obj)
        {
            var name = Apply(key);
            // Two keys that only differed in a secret collapse into one; keep the first, like a dict would.
            if (!masked.ContainsKey(name)) masked[name] = Apply(value);
        }
        return masked;
    }
}
