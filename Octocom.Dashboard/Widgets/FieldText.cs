using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Octocom.Dashboard.Widgets;

/// <summary>
/// How a field value reads on the card. Always plain text (the card never renders it as HTML or Markdown):
/// strings as they are, numbers as the script wrote them, booleans as "Yes"/"No", None as "—", and dicts or lists
/// as compact JSON.
/// </summary>
public static class FieldText
{
    public const string NullText = "—";

    private static readonly JsonSerializerOptions Compact = new()
    {
        WriteIndented = false,
        // Keep non-ASCII readable ("café", not "caf\u00e9"); the text is HTML-encoded by Blazor when rendered.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Of(JsonNode? value) => JsonShape.TypeOf(value) switch
    {
        JsonType.Null => NullText,
        JsonType.String => value!.GetValue<string>(),
        JsonType.Boolean => value!.GetValue<bool>() ? "Yes" : "No",
        _ => value!.ToJsonString(Compact),
    };
}
