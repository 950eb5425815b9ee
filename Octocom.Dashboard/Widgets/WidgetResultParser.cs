using System.Text.Json.Nodes;

namespace Octocom.Dashboard.Widgets;

/// <summary>
/// Reads a script's JSON result into a <see cref="WidgetResult"/>. Tolerant by design: it never throws, reads every
/// element it can, and leaves a property empty when its JSON type is wrong — so that the validator, which reads the
/// recorded <see cref="JsonShape"/>s, can report every problem in one pass instead of stopping at the first.
/// </summary>
public static class WidgetResultParser
{
    public static WidgetResult Parse(JsonNode? json)
    {
        var obj = json as JsonObject;
        return new WidgetResult
        {
            Raw = json,
            Shape = JsonShape.Of(json),
            Title = String(obj, "title"),
            Items = List(obj, "items", ParseItem),
        };
    }

    private static WidgetItem ParseItem(JsonNode? json)
    {
        var obj = json as JsonObject;
        return new WidgetItem
        {
            Shape = JsonShape.Of(json),
            Title = String(obj, "title"),
            Subtitle = String(obj, "subtitle"),
            Link = String(obj, "link"),
            Badge = Property(obj, "badge") is JsonObject badge ? ParseBadge(badge) : null,
            Actions = List(obj, "actions", ParseAction),
            Collapsible = Bool(obj, "collapsible") ?? true,
            Sections = List(obj, "sections", ParseSection),
        };
    }

    private static WidgetBadge ParseBadge(JsonObject obj) => new()
    {
        Shape = JsonShape.Of(obj),
        Text = String(obj, "text"),
        Color = String(obj, "color"),
    };

    private static WidgetAction ParseAction(JsonNode? json)
    {
        var obj = json as JsonObject;
        return new WidgetAction { Shape = JsonShape.Of(json), Label = String(obj, "label"), Link = String(obj, "link") };
    }

    private static WidgetSection ParseSection(JsonNode? json)
    {
        var obj = json as JsonObject;
        return new WidgetSection
        {
            Shape = JsonShape.Of(json),
            Title = String(obj, "title"),
            Collapsible = Bool(obj, "collapsible") ?? false,
            Fields = Property(obj, "fields") is JsonObject fields
                ? fields.Select(f => new WidgetField(f.Key, f.Value)).ToList()
                : [],
        };
    }

    private static JsonNode? Property(JsonObject? obj, string name) =>
        obj is not null && obj.TryGetPropertyValue(name, out var value) ? value : null;

    private static string? String(JsonObject? obj, string name) =>
        Property(obj, name) is JsonValue value && JsonShape.TypeOf(value) == JsonType.String ? value.GetValue<string>() : null;

    private static bool? Bool(JsonObject? obj, string name) =>
        Property(obj, name) is JsonValue value && JsonShape.TypeOf(value) == JsonType.Boolean ? value.GetValue<bool>() : null;

    private static IReadOnlyList<T> List<T>(JsonObject? obj, string name, Func<JsonNode?, T> parse) =>
        Property(obj, name) is JsonArray array ? array.Select(parse).ToList() : [];
}
