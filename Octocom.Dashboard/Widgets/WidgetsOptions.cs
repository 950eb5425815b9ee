using System.ComponentModel.DataAnnotations;

namespace Octocom.Dashboard.Widgets;

/// <summary>
/// How much of a widget result the sidebar shows. Exceeding a bound never hides data that fits: the card shows the
/// first N and a warning says what was left out (see docs/widgets.md).
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
}
