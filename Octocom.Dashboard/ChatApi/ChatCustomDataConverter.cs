using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Octocom.Dashboard.ChatApi;

/// <summary>
/// Reads the custom-data map straight into strings (values are stored as strings): strings as sent, numbers and
/// booleans as their JSON text ("489.99", "true"), objects and arrays as their JSON, null as null (refused later with
/// its own rule, so one odd value never fails the request). A repeated key keeps its last value.
/// </summary>
public sealed class ChatCustomDataConverter : JsonConverter<Dictionary<string, string?>>
{
    public override Dictionary<string, string?>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("customData must be a JSON object of key → value, e.g. {\"plan\": \"premium\"}.");
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            reader.Read();
            map[key] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Null => null,
                JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False =>
                    Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
                _ => JsonElement.ParseValue(ref reader).GetRawText(),
            };
        }
        return map;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, string?> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, item) in value)
        {
            if (item is null) writer.WriteNull(key);
            else writer.WriteString(key, item);
        }
        writer.WriteEndObject();
    }
}
