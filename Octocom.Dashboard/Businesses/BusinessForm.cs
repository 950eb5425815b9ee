using System.Text.RegularExpressions;
using FluentValidation;

namespace Octocom.Dashboard.Businesses;

/// <summary>What an admin edits on the business settings page.</summary>
public sealed class BusinessForm
{
    public string Name { get; set; } = "";
    /// <summary>Public and globally unique: the embed snippet and the chat API address the business by it.</summary>
    public string Slug { get; set; } = "";
    /// <summary>One origin per line, e.g. https://shop.example; empty allows any origin.</summary>
    public string AllowedOrigins { get; set; } = "";

    public static BusinessForm From(Business b) => new() { Name = b.Name, Slug = b.Slug, AllowedOrigins = b.AllowedOrigins };
}

public sealed partial class BusinessFormValidator : AbstractValidator<BusinessForm>
{
    public const int MaxNameLength = 200;
    public const int MaxSlugLength = 100;

    public BusinessFormValidator()
    {
        RuleFor(f => f.Name)
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Name is required.")
            .MaximumLength(MaxNameLength).WithMessage($"Name is limited to {MaxNameLength} characters.");

        RuleFor(f => f.Slug)
            .Cascade(CascadeMode.Stop)
            .Must(s => !string.IsNullOrWhiteSpace(s)).WithMessage("Slug is required.")
            .Length(2, MaxSlugLength).WithMessage($"Slug must be 2 to {MaxSlugLength} characters.")
            .Matches(SlugPattern()).WithMessage("Slug may contain lower-case letters, digits and single hyphens, e.g. \"acme-shop\".");

        RuleFor(f => f.AllowedOrigins)
            .Must(o => Businesses.AllowedOrigins.Invalid(o).Count == 0)
            .WithMessage(f => $"Not an origin (scheme://host[:port], no path): {string.Join(", ", Businesses.AllowedOrigins.Invalid(f.AllowedOrigins))}.")
            .MaximumLength(4000).WithMessage("Allowed origins are limited to 4,000 characters.");
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();
}
