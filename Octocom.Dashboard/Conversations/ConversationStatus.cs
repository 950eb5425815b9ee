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

/// <summary>The wire names used in scripts, URLs and the database: open, handed_off, closed.</summary>
public static class ConversationStatusNames
{
    public static string ToWire(this ConversationStatus status) => status switch
    {
        ConversationStatus.Open => "open",
        ConversationStatus.HandedOff => "handed_off",
        ConversationStatus.Closed => "closed",
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
