namespace Octocom.Dashboard.Conversations;

/// <summary>No conversation with that id or public ID exists in the current organization.</summary>
public sealed class ConversationNotFoundException(string reference)
    : Exception($"Conversation '{reference}' was not found.")
{
    public string Reference { get; } = reference;
}
