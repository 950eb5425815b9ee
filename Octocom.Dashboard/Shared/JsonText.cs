using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Octocom.Dashboard.Shared;

public static class JsonText
{
    public static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Pretty-prints <paramref name="value"/> when it is a JSON object or array; otherwise returns false.</summary>
    public static bool TryPretty(string? value, out string pretty)
    {
        pretty = "";
        var trimmed = value?.TrimStart();
        if (string.IsNullOrEmpty(trimmed) || (trimmed[0] != '{' && trimmed[0] != '[')) return false;
        try
        {
            var node = JsonNode.Parse(value!);
            if (node is null) return false;
            pretty = node.ToJsonString(Indented);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
