namespace Octocom.Dashboard.Conversations;

public enum ConversationStatus { Open, HandedOff, Closed }

public enum MessageSender { Customer, Bot, Agent }

public static class Channels
{
    public const string Web = "web";
    public const string Email = "email";
    public const string Instagram = "instagram";
    public static readonly string[] All = [Web, Email, Instagram];
}

/// <summary>
/// The one table of conversation statuses: the wire names used in scripts, URLs, APIs and the database (open,
/// handed_off, closed) and the labels pages show. Status pickers list <see cref="All"/>.
/// </summary>
public static class ConversationStatusNames
{
    /// <summary>Every status, in the order pages list them.</summary>
    public static IReadOnlyList<ConversationStatus> All { get; } = [ConversationStatus.Open, ConversationStatus.HandedOff, ConversationStatus.Closed];

    /// <summary>The wire names of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> WireNames { get; } = All.Select(ToWire).ToArray();

    public static string ToWire(this ConversationStatus status) => status switch
    {
        ConversationStatus.Open => "open",
        ConversationStatus.HandedOff => "handed_off",
        ConversationStatus.Closed => "closed",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static string Label(this ConversationStatus status) => status switch
    {
        ConversationStatus.Open => "Open",
        ConversationStatus.HandedOff => "Handed off",
        ConversationStatus.Closed => "Closed",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static ConversationStatus? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "open" => ConversationStatus.Open,
        "handed_off" or "handedoff" => ConversationStatus.HandedOff,
        "closed" => ConversationStatus.Closed,
        _ => null,
    };

    public static string ToWire(this MessageSender sender) => sender.ToString().ToLowerInvariant();
}
