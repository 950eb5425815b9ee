using System.Text.Json;
using System.Text.Json.Serialization;
using Octocom.Dashboard.Conversations;

namespace Octocom.Dashboard.ChatApi;

/// <summary>Start a web chat. The custom data set before the conversation existed travels with the first message.</summary>
/// <param name="Message">The visitor's first message (optional: a chat may start with custom data only).</param>
/// <param name="CustomData">Every localStorage key with the exact prefix <c>octocom:data:</c>, prefix stripped: {"plan": "premium"}.</param>
/// <param name="Page">The page the visitor is on.</param>
/// <param name="Referrer">document.referrer.</param>
/// <param name="Language">navigator.language, e.g. "fr-FR".</param>
public sealed record StartChatRequest(string? Message,
    [property: JsonConverter(typeof(ChatCustomDataConverter))] Dictionary<string, string?>? CustomData,
    ChatPageDto? Page, string? Referrer, string? Language);

/// <summary>A customer message with the current custom-data map (sent on every message).</summary>
public sealed record SendChatMessageRequest(string? Message,
    [property: JsonConverter(typeof(ChatCustomDataConverter))] Dictionary<string, string?>? CustomData,
    ChatPageDto? Page);

public sealed record ChatPageDto(string? Url, string? Title);

/// <param name="Token">Send it as <c>Authorization: Bearer …</c> on every later call; it is shown only once.</param>
public sealed record StartChatResponse(Guid ConversationId, string PublicId, string Token, ChatMessageDto? Message,
    IReadOnlyList<ChatRejectionDto> Rejected);

public sealed record SendChatMessageResponse(ChatMessageDto Message, IReadOnlyList<ChatRejectionDto> Rejected);

/// <param name="Cursor">Pass it as <c>after</c> on the next poll.</param>
/// <param name="HasMore">More messages are waiting: poll again at once.</param>
/// <param name="Status">open, handed_off or closed.</param>
public sealed record ChatMessagesResponse(IReadOnlyList<ChatMessageDto> Messages, long Cursor, bool HasMore, string Status);

/// <param name="Sender">customer, bot or agent.</param>
public sealed record ChatMessageDto(long Id, string Sender, string Content, string? AuthorName, DateTime Timestamp)
{
    public static ChatMessageDto From(Message m) => new(m.Id, m.Sender.ToWire(), m.Content, m.AuthorName, DateTime.SpecifyKind(m.Timestamp, DateTimeKind.Utc));
}

/// <summary>A custom-data key that was not applied.</summary>
/// <param name="Key">The key as sent (without the localStorage prefix).</param>
/// <param name="MetadataKey">The metadata key it maps to, e.g. chat-widget:plan.</param>
/// <param name="Rule">A stable code: key_required, key_too_long, key_invalid_characters, value_too_long, too_many_pairs,
/// value_null, invalid_email, invalid_phone, invalid_name.</param>
/// <param name="Target">"metadata": not stored; "customer": stored as metadata but not applied to the customer record.</param>
public sealed record ChatRejectionDto(string Key, string MetadataKey, string Rule, string Message, string Target)
{
    public static ChatRejectionDto From(ChatDataRejection r) => new(r.Key, r.MetadataKey, r.Rule, r.Message, r.Target);
}

/// <summary>Public facts the widget shows in its header.</summary>
public sealed record ChatBusinessResponse(string Slug, string Name);

/// <param name="Changed">False when the conversation already had that status (nothing fired again).</param>
public sealed record ChatStatusResponse(string Status, bool Changed);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StartChatRequest))]
[JsonSerializable(typeof(SendChatMessageRequest))]
[JsonSerializable(typeof(StartChatResponse))]
[JsonSerializable(typeof(SendChatMessageResponse))]
[JsonSerializable(typeof(ChatMessagesResponse))]
[JsonSerializable(typeof(ChatBusinessResponse))]
[JsonSerializable(typeof(ChatStatusResponse))]
internal sealed partial class ChatJsonContext : JsonSerializerContext;
