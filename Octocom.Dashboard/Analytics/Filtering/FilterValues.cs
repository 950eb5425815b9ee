using System.Globalization;
using Octocom.Dashboard.Metadata;

namespace Octocom.Dashboard.Analytics.Filtering;

/// <summary>Parsing of typed filter values, shared by the validator and the compiler so they cannot disagree.</summary>
public static class FilterValues
{
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>The same parser that fills <see cref="ConversationMetadata.NumericValue"/>: invariant culture, "489.99", "-3", "1e3".</summary>
    public static bool TryParseNumber(string? value, out double number)
    {
        number = 0;
        if (value is null || MetadataService.ParseNumber(value) is not { } parsed) return false;
        number = parsed;
        return true;
    }

    public static bool TryParseDate(string? value, out DateOnly date) =>
        DateOnly.TryParseExact(value?.Trim(), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static string Format(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static string Format(double number) => number.ToString("R", CultureInfo.InvariantCulture);
}
