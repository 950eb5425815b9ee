namespace Octocom.Dashboard.Metadata;

/// <summary>The limits from the chat custom data contract (seed 001, "Technical notes").</summary>
public static class MetadataLimits
{
    public const int MaxKeyLength = 200;
    public const int MaxValueLength = 50_000;
    public const int MaxPairsPerConversation = 200;

    /// <summary>Keys the website owns (written by the chat widget); agents may not edit them.</summary>
    public const string ChatWidgetPrefix = "chat-widget:";
    /// <summary>Keys the dashboard itself writes (e.g. <c>octocom:assignee</c>); read-only for agents, scripts and the widget.</summary>
    public const string SystemPrefix = "octocom:";
    /// <summary>The localStorage prefix the widget reads; the server maps it to <see cref="ChatWidgetPrefix"/>.</summary>
    public const string LocalStoragePrefix = "octocom:data:";
}
