using System.Text.Json.Nodes;

namespace Octocom.Dashboard.Widgets;

/// <summary>
/// A sidebar widget's result (seed 002, "Return format") as read by <see cref="WidgetResultParser"/>. Properties are
/// null/empty when the script left them out or gave them the wrong JSON type; <see cref="WidgetElement.Shape"/> keeps
/// what was actually there so the validator can say which. Defaults from the format are applied (item
/// <c>collapsible</c> true, section <c>collapsible</c> false, badge colour gray).
/// </summary>
public sealed record WidgetResult : WidgetElement
{
    public string? Title { get; init; }
    public IReadOnlyList<WidgetItem> Items { get; init; } = [];

    /// <summary>The JSON exactly as the script returned it (null when it returned None), for inspection.</summary>
    public JsonNode? Raw { get; init; }
}

public sealed record WidgetItem : WidgetElement
{
    public string? Title { get; init; }
    public string? Subtitle { get; init; }
    /// <summary>Makes the title a link, when <see cref="Shared.SafeLinks.IsSafe"/>; otherwise shown as plain text.</summary>
    public string? Link { get; init; }
    public WidgetBadge? Badge { get; init; }
    public IReadOnlyList<WidgetAction> Actions { get; init; } = [];
    public bool Collapsible { get; init; } = true;
    public IReadOnlyList<WidgetSection> Sections { get; init; } = [];
}

public sealed record WidgetBadge : WidgetElement
{
    public string? Text { get; init; }
    /// <summary>The colour name as written by the script (null when absent); see <see cref="EffectiveColor"/>.</summary>
    public string? Color { get; init; }

    /// <summary>The colour to draw: the named one, or gray when absent or not one of the five names.</summary>
    public BadgeColor EffectiveColor => BadgeColors.TryParse(Color, out var color) ? color : BadgeColor.Gray;
}

public sealed record WidgetAction : WidgetElement
{
    public string? Label { get; init; }
    public string? Link { get; init; }
}

public sealed record WidgetSection : WidgetElement
{
    public string? Title { get; init; }
    public bool Collapsible { get; init; }
    /// <summary>The <c>fields</c> dict in the script's order.</summary>
    public IReadOnlyList<WidgetField> Fields { get; init; } = [];
}

/// <summary>One key/value pair of a section; the value is any JSON, shown as text (see <see cref="FieldText"/>).</summary>
public sealed record WidgetField(string Key, JsonNode? Value)
{
    public string Text => FieldText.Of(Value);
    /// <summary>A dict or list, shown as compact JSON.</summary>
    public bool IsStructured => Value is JsonObject or JsonArray;
}

/// <summary>Every parsed element remembers the JSON types it was read from.</summary>
public abstract record WidgetElement
{
    public JsonShape Shape { get; init; } = JsonShape.Missing;
}
