using System.ComponentModel.DataAnnotations;

namespace Octocom.Dashboard.Widgets;

/// <summary>
/// How sidebar widgets run (cache, effects) and how much of a result the sidebar shows. Exceeding a bound never hides
/// data that fits: the card shows the first N and a warning says what was left out (see docs/widgets.md).
/// </summary>
public sealed class WidgetsOptions
{
    public const string SectionName = "Widgets";

    /// <summary>Items shown per widget; the rest are summarised as "n more".</summary>
    [Range(1, 500)]
    public int MaxItems { get; set; } = 20;

    /// <summary>Sections shown per item; the rest are summarised as "n more sections".</summary>
    [Range(1, 100)]
    public int MaxSectionsPerItem { get; set; } = 10;

    /// <summary>Fields shown per section; the rest are summarised as "n more fields".</summary>
    [Range(1, 500)]
    public int MaxFieldsPerSection { get; set; } = 50;

    /// <summary>Action buttons shown per item.</summary>
    [Range(1, 50)]
    public int MaxActionsPerItem { get; set; } = 5;

    /// <summary>Characters of a field value shown before it is cut with a truncation marker.</summary>
    [Range(20, 50_000)]
    public int MaxValueLength { get; set; } = 1_000;

    /// <summary>Characters of a title (widget, item, section), subtitle, badge text or action label shown before it is cut.</summary>
    [Range(20, 5_000)]
    public int MaxTextLength { get; set; } = 200;

    /// <summary>
    /// How long a widget's outcome is reused for the same conversation and widget version, so agents moving between
    /// conversations do not call the customer's APIs on every visit. Zero turns the cache off. The refresh button
    /// always runs the widget again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Apply what sidebar runs do through the helpers (set_conversation_metadata, add_conversation_tag,
    /// add_conversation_event) when the run succeeds with a valid result. False: dry runs (effects are recorded on
    /// the run, never applied).
    /// </summary>
    public bool ApplyEffects { get; set; } = true;
}
