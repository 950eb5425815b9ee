using FluentValidation;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Shared;

namespace Octocom.Dashboard.Widgets;

/// <summary>
/// The sidebar widget format of seed 002, strictly: every wrong type, missing required key and unknown colour is an
/// error (the card lists them instead of the data); bounds, unsafe links and unknown keys are warnings (the data is
/// shown with a note). Each problem carries its path, e.g. <c>items[2].badge.color</c>.
/// </summary>
public sealed class WidgetResultValidator : WidgetElementValidator<WidgetResult>
{
    /// <summary>Path of the result itself, for problems that are about the whole value.</summary>
    public const string RootPath = "result";

    public WidgetResultValidator(IOptions<WidgetsOptions> options)
    {
        var bounds = options.Value;
        RuleFor(r => r.Shape.Type)
            .Must(type => type == JsonType.Object)
                .WithMessage((_, type) => type == JsonType.Null
                    ? "get_sidebar_data returned None; it must return a dict with \"title\" and \"items\""
                    : $"must be a dict with \"title\" and \"items\", not {JsonShape.Describe(type)}")
            .OverridePropertyName(RootPath);

        When(r => r.Shape.IsObject, () =>
        {
            RequiredText(r => r.Title, "title", bounds.MaxTextLength);
            ListOfDicts(r => r.Items, "items", required: true, bounds.MaxItems, new WidgetItemValidator(bounds));
            KnownProperties("title", "items");
        });
    }
}

public sealed class WidgetItemValidator : WidgetElementValidator<WidgetItem>
{
    public WidgetItemValidator(WidgetsOptions bounds)
    {
        RequiredText(i => i.Title, "title", bounds.MaxTextLength);

        Optional("subtitle", JsonType.String);
        TextBound(i => i.Subtitle, "subtitle", bounds.MaxTextLength);

        Optional("link", JsonType.String);
        SafeLink(i => i.Link, "link");

        Optional("badge", JsonType.Object);
        RuleFor(i => i.Badge!).SetValidator(new WidgetBadgeValidator(bounds)).When(i => i.Badge is not null)
            .OverridePropertyName("badge");

        ListOfDicts(i => i.Actions, "actions", required: false, bounds.MaxActionsPerItem, new WidgetActionValidator(bounds));
        Optional("collapsible", JsonType.Boolean);
        ListOfDicts(i => i.Sections, "sections", required: true, bounds.MaxSectionsPerItem, new WidgetSectionValidator(bounds));

        KnownProperties("title", "subtitle", "link", "badge", "actions", "collapsible", "sections");
    }
}

public sealed class WidgetBadgeValidator : WidgetElementValidator<WidgetBadge>
{
    public WidgetBadgeValidator(WidgetsOptions bounds)
    {
        RequiredText(b => b.Text, "text", bounds.MaxTextLength);

        Optional("color", JsonType.String);
        RuleFor(b => b.Color)
            .Must(color => BadgeColors.TryParse(color, out _))
                .WithMessage((_, color) => $"{Quote(color)} is not one of {string.Join(", ", BadgeColors.Names)}{CaseHint(color)}")
            .When(b => b.Color is not null)
            .OverridePropertyName("color");

        KnownProperties("text", "color");
    }

    private static string CaseHint(string? color) =>
        BadgeColors.Names.FirstOrDefault(n => string.Equals(n, color?.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name
            ? $" (colour names are lower-case: '{name}')"
            : "";
}

public sealed class WidgetActionValidator : WidgetElementValidator<WidgetAction>
{
    public WidgetActionValidator(WidgetsOptions bounds)
    {
        RequiredText(a => a.Label, "label", bounds.MaxTextLength);

        Optional("link", JsonType.String);
        SafeLink(a => a.Link, "link");

        KnownProperties("label", "link");
    }
}

public sealed class WidgetSectionValidator : WidgetElementValidator<WidgetSection>
{
    public WidgetSectionValidator(WidgetsOptions bounds)
    {
        RequiredText(s => s.Title, "title", bounds.MaxTextLength);
        Optional("collapsible", JsonType.Boolean);

        Required("fields", JsonType.Object);
        CountBound(s => s.Fields, "fields", bounds.MaxFieldsPerSection);
        RuleForEach(s => s.Fields)
            .OverrideIndexer((_, _, field, _) => FieldIndexer(field.Key))
            .Must(field => field.Text.Length <= bounds.MaxValueLength)
                .WithMessage((_, field) => $"value is {field.Text.Length:N0} characters; the card shows the first {bounds.MaxValueLength:N0}")
            .WithSeverity(Severity.Warning)
            // Only sections that have a long value pay for per-field paths (a large result has thousands of fields).
            .When(s => s.Fields.Any(field => field.Text.Length > bounds.MaxValueLength))
            .OverridePropertyName("fields");

        KnownProperties("title", "collapsible", "fields");
    }

    /// <summary><c>fields["Account ID"]</c>: keys are free text, so they are quoted like JSON strings.</summary>
    private static string FieldIndexer(string key) => "[" + System.Text.Json.JsonSerializer.Serialize(key, JsonText.Indented) + "]";
}
