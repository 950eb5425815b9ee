using FluentValidation;

namespace Octocom.Dashboard.Metadata;

/// <summary>Per-change rules. The per-conversation pair limit needs the stored keys and is checked by <see cref="MetadataService"/>.</summary>
public sealed class MetadataChangeValidator : AbstractValidator<MetadataChange>
{
    public MetadataChangeValidator()
    {
        RuleFor(c => c.Key)
            .Cascade(CascadeMode.Stop)
            .Must(k => !string.IsNullOrWhiteSpace(k)).WithErrorCode(MetadataRules.KeyRequired)
                .WithMessage("Metadata key is required.")
            .MaximumLength(MetadataLimits.MaxKeyLength).WithErrorCode(MetadataRules.KeyTooLong)
                .WithMessage(c => $"Metadata key is {c.Key.Length} characters; the limit is {MetadataLimits.MaxKeyLength}.")
            .Must(k => !k.Any(char.IsControl)).WithErrorCode(MetadataRules.KeyInvalidCharacters)
                .WithMessage("Metadata key must not contain control characters.");

        RuleFor(c => c.Value!)
            .MaximumLength(MetadataLimits.MaxValueLength).WithErrorCode(MetadataRules.ValueTooLong)
                .WithMessage(c => $"Value is {c.Value!.Length} characters; the limit is {MetadataLimits.MaxValueLength:N0}.")
            .When(c => c.Value is not null);

        RuleFor(c => c.Key)
            .Must(k => !k.StartsWith(MetadataLimits.ChatWidgetPrefix, StringComparison.Ordinal))
            .WithErrorCode(MetadataRules.ReservedPrefix)
            .WithMessage($"Keys starting with '{MetadataLimits.ChatWidgetPrefix}' belong to the website's chat widget and are read-only here.")
            .When(c => c.Source != MetadataSources.ChatWidget && !string.IsNullOrEmpty(c.Key));

        RuleFor(c => c.Key)
            .Must(k => !k.StartsWith(MetadataLimits.SystemPrefix, StringComparison.Ordinal))
            .WithErrorCode(MetadataRules.ReservedPrefix)
            .WithMessage($"Keys starting with '{MetadataLimits.SystemPrefix}' are kept by the dashboard itself (e.g. octocom:assignee) and are read-only.")
            .When(c => c.Source != MetadataSources.System && !string.IsNullOrEmpty(c.Key));
    }
}
