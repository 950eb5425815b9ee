using System.Text.RegularExpressions;
using FluentValidation;

namespace Octocom.Dashboard.ChatApi;

/// <summary>The special custom-data keys that also update the conversation's customer (seed 001, "Special keys").</summary>
public sealed record ChatCustomerFields(string? Email, string? Name, string? Phone)
{
    public const string EmailKey = "email";
    public const string NameKey = "name";
    public const string PhoneKey = "phone";

    public bool IsEmpty => Email is null && Name is null && Phone is null;

    /// <summary>Customer.Email is stored trimmed and lower-cased (unique per organization).</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}

public static class ChatCustomerRules
{
    public const string InvalidEmail = "invalid_email";
    public const string InvalidPhone = "invalid_phone";
    public const string InvalidName = "invalid_name";
}

/// <summary>Formats the customer record accepts. An invalid field is reported and not applied to the customer.</summary>
public sealed partial class ChatCustomerFieldsValidator : AbstractValidator<ChatCustomerFields>
{
    public const int MaxEmailLength = 320;
    public const int MaxNameLength = 200;
    public const int MinPhoneDigits = 7;
    public const int MaxPhoneDigits = 15; // E.164

    public ChatCustomerFieldsValidator()
    {
        RuleFor(f => f.Email!)
            .Must(IsEmail).WithErrorCode(ChatCustomerRules.InvalidEmail)
            .WithMessage(f => $"\"{Shorten(f.Email!)}\" is not a valid email address (name@domain.tld, at most {MaxEmailLength} characters).")
            .When(f => f.Email is not null);

        RuleFor(f => f.Phone!)
            .Must(IsPhone).WithErrorCode(ChatCustomerRules.InvalidPhone)
            .WithMessage(f => $"\"{Shorten(f.Phone!)}\" is not a valid phone number ({MinPhoneDigits}–{MaxPhoneDigits} digits, optionally a leading +, spaces, dots, dashes or parentheses).")
            .When(f => f.Phone is not null);

        RuleFor(f => f.Name!)
            .Must(n => n.Trim().Length <= MaxNameLength && !n.Any(char.IsControl)).WithErrorCode(ChatCustomerRules.InvalidName)
            .WithMessage($"A customer name is at most {MaxNameLength} characters without control characters.")
            .When(f => f.Name is not null);
    }

    public static bool IsEmail(string value)
    {
        var email = value.Trim();
        return email.Length <= MaxEmailLength && EmailPattern().IsMatch(email);
    }

    public static bool IsPhone(string value)
    {
        var phone = value.Trim();
        if (!PhonePattern().IsMatch(phone)) return false;
        var digits = phone.Count(char.IsAsciiDigit);
        return digits is >= MinPhoneDigits and <= MaxPhoneDigits;
    }

    private static string Shorten(string value) => value.Length > 60 ? value[..60] + "…" : value;

    // local part without spaces, quotes, angle brackets or a second @; a dotted domain of letters, digits and hyphens.
    [GeneratedRegex(@"^[^\s@""<>()\[\],;:\\]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}]{2,}$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+?[0-9 ().\-]+$")]
    private static partial Regex PhonePattern();
}
