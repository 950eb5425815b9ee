namespace Octocom.Dashboard.Conversations.Inbox.Components;

/// <summary>What the filter bar changed: null = unchanged, "" = cleared.</summary>
public sealed record InboxFilterChange(string? Search, string? Business, string? Status, string? Channel, string? Sort);
