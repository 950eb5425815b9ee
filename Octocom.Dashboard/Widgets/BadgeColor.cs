namespace Octocom.Dashboard.Widgets;

/// <summary>The five badge colours of the format; the names scripts use are the lower-case member names.</summary>
public enum BadgeColor { Blue, Green, Red, Yellow, Gray }

public static class BadgeColors
{
    /// <summary>"blue, green, red, yellow, gray" — in the format's order, for messages and docs.</summary>
    public static readonly IReadOnlyList<string> Names = Enum.GetValues<BadgeColor>().Select(NameOf).ToList();

    public static string NameOf(BadgeColor color) => color.ToString().ToLowerInvariant();

    /// <summary>Exact (lower-case) names only: the format is strict, so "Green" is reported rather than guessed.</summary>
    public static bool TryParse(string? name, out BadgeColor color)
    {
        foreach (var candidate in Enum.GetValues<BadgeColor>())
        {
            if (string.Equals(NameOf(candidate), name, StringComparison.Ordinal))
            {
                color = candidate;
                return true;
            }
        }
        color = BadgeColor.Gray;
        return false;
    }
}
