using System.Linq.Expressions;
using FluentValidation;
using FluentValidation.Results;
using Octocom.Dashboard.Shared;

namespace Octocom.Dashboard.Widgets;

/// <summary>
/// Rules every element of a widget result shares: JSON types read from the element's <see cref="JsonShape"/>,
/// non-blank required text, length bounds, safe links, unknown properties. Property paths use the format's own
/// names (<c>items[2].badge.color</c>), not the C# ones.
/// </summary>
public abstract class WidgetElementValidator<T> : AbstractValidator<T> where T : WidgetElement
{
    private const int QuoteLength = 80;

    /// <summary>Present, not None, and of <paramref name="type"/>.</summary>
    protected void Required(string property, JsonType type) =>
        RuleFor(x => x.Shape[property])
            .Cascade(CascadeMode.Stop)
            .Must(actual => actual is not (JsonType.Missing or JsonType.Null))
                .WithMessage($"is required ({JsonShape.Describe(type)})")
            .Must(actual => actual == type)
                .WithMessage((_, actual) => $"must be {JsonShape.Describe(type)}, not {JsonShape.Describe(actual)}")
            .OverridePropertyName(property);

    /// <summary>Absent, None (Python's "no value", treated as absent), or of <paramref name="type"/>.</summary>
    protected void Optional(string property, JsonType type) =>
        RuleFor(x => x.Shape[property])
            .Must(actual => actual is JsonType.Missing or JsonType.Null || actual == type)
                .WithMessage((_, actual) => $"must be {JsonShape.Describe(type)}, not {JsonShape.Describe(actual)}")
            .OverridePropertyName(property);

    /// <summary>A required, non-blank string, cut on the card beyond <paramref name="max"/> characters.</summary>
    protected void RequiredText(Expression<Func<T, string?>> text, string property, int max)
    {
        Required(property, JsonType.String);
        NotBlank(text, property);
        TextBound(text, property, max);
    }

    /// <summary>
    /// A list of dicts, each checked by <paramref name="elementValidator"/>; a list longer than <paramref name="max"/>
    /// is shown partially (a warning), an element that is not a dict is an error at its index.
    /// </summary>
    protected void ListOfDicts<TElement>(Expression<Func<T, IEnumerable<TElement>>> list, string property, bool required, int max,
        IValidator<TElement> elementValidator) where TElement : WidgetElement
    {
        if (required) Required(property, JsonType.Array);
        else Optional(property, JsonType.Array);
        CountBound(list, property, max);
        RuleForEach(list)
            .Must(element => element.Shape.IsObject).WithMessage((_, element) => $"must be a dict, not {JsonShape.Describe(element.Shape.Type)}")
            .OverridePropertyName(property);
        RuleForEach(list).Where(element => element.Shape.IsObject).SetValidator(elementValidator).OverridePropertyName(property);
    }

    /// <summary>A required string that is present must also say something.</summary>
    protected void NotBlank(Expression<Func<T, string?>> text, string property) =>
        RuleFor(text)
            .Must(value => !string.IsNullOrWhiteSpace(value)).WithMessage("must not be empty")
            .When(x => x.Shape[property] == JsonType.String)
            .OverridePropertyName(property);

    /// <summary>Longer text is cut on the card; a warning, the data is still shown.</summary>
    protected void TextBound(Expression<Func<T, string?>> text, string property, int max) =>
        RuleFor(text)
            .Must(value => value is null || value.Length <= max)
                .WithMessage((_, value) => $"is {value!.Length:N0} characters; the card shows the first {max:N0}")
            .WithSeverity(Severity.Warning)
            .OverridePropertyName(property);

    /// <summary>Only http, https and mailto links are rendered as links; anything else is shown as text and flagged.</summary>
    protected void SafeLink(Expression<Func<T, string?>> link, string property) =>
        RuleFor(link)
            .Must(value => string.IsNullOrWhiteSpace(value) || SafeLinks.IsSafe(value))
                .WithMessage((_, value) => $"{Quote(value)} is not a safe link and is shown as plain text (only http, https and mailto links open)")
            .WithSeverity(Severity.Warning)
            .OverridePropertyName(property);

    /// <summary>Collections beyond <paramref name="max"/> are shown partially; a warning.</summary>
    protected void CountBound<TElement>(Expression<Func<T, IEnumerable<TElement>>> list, string property, int max) =>
        RuleFor(list)
            .Must(value => value.Count() <= max)
                .WithMessage((_, value) => $"{value.Count():N0} {property}; the card shows the first {max:N0}")
            .WithSeverity(Severity.Warning)
            .OverridePropertyName(property);

    /// <summary>A misspelt key (<c>"colour"</c>, <c>"collapsable"</c>) would otherwise be silently ignored.</summary>
    protected void KnownProperties(params string[] known) =>
        RuleFor(x => x.Shape).Custom((shape, context) =>
        {
            foreach (var name in shape.Properties.Keys.Where(k => !known.Contains(k, StringComparer.Ordinal)))
            {
                var path = context.PropertyChain.BuildPropertyPath(name);
                context.AddFailure(new ValidationFailure(path,
                    $"unknown property, ignored (expected {string.Join(", ", known)})") { Severity = Severity.Warning });
            }
        });

    protected static string Quote(string? value) =>
        value is null ? "None" : $"'{(value.Length > QuoteLength ? value[..QuoteLength] + "…" : value)}'";
}
