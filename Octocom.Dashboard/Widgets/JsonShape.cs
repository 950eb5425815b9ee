using System.Text.Json;
using System.Text.Json.Nodes;

namespace Octocom.Dashboard.Widgets;

/// <summary>A JSON value's type as a script produced it; <see cref="Missing"/> when the key was absent.</summary>
public enum JsonType { Missing, Null, String, Number, Boolean, Object, Array }

/// <summary>
/// The JSON types a parsed element actually had: its own type and, for an object, each property's type. The parser
/// is tolerant (a wrong type just leaves the typed property empty); the validator reads the shape to report the
/// wrong type precisely.
/// </summary>
public sealed record JsonShape(JsonType Type, IReadOnlyDictionary<string, JsonType> Properties)
{
    public static readonly JsonShape Missing = new(JsonType.Missing, new Dictionary<string, JsonType>());

    public bool IsObject => Type == JsonType.Object;

    /// <summary>The type of <paramref name="property"/>, or <see cref="JsonType.Missing"/> when absent.</summary>
    public JsonType this[string property] => Properties.GetValueOrDefault(property, JsonType.Missing);

    public static JsonShape Of(JsonNode? node) => node is JsonObject obj
        ? new JsonShape(JsonType.Object, obj.ToDictionary(p => p.Key, p => TypeOf(p.Value), StringComparer.Ordinal))
        : new JsonShape(TypeOf(node), new Dictionary<string, JsonType>());

    /// <summary>The type of a present value (a JSON null arrives as a C# null).</summary>
    public static JsonType TypeOf(JsonNode? node) => node switch
    {
        null => JsonType.Null,
        JsonObject => JsonType.Object,
        JsonArray => JsonType.Array,
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => JsonType.String,
            JsonValueKind.Number => JsonType.Number,
            JsonValueKind.True or JsonValueKind.False => JsonType.Boolean,
            _ => JsonType.Null,
        },
    };

    /// <summary>How a type reads in a validation message, in the words of the Python that produced it.</summary>
    public static string Describe(JsonType type) => type switch
    {
        JsonType.Missing => "missing",
        JsonType.Null => "None",
        JsonType.String => "a string",
        JsonType.Number => "a number",
        JsonType.Boolean => "a bool",
        JsonType.Object => "a dict",
        _ => "a list",
    };
}
