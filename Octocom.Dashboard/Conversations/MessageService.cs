using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.Conversations;

/// <summary>Appends messages to conversations and keeps the conversation's denormalised summary in step.</summary>
public sealed class MessageService(IDbContextFactory<DashboardDbContext> dbFactory, IConversationNotifier notifier, TimeProvider clock)
{
    public const int MaxContentLength = 20_000;

    public async Task<Message> AddAgentReplyAsync(Guid conversationId, string content, string agentName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Read and write under the write lock, so a concurrent customer message cannot lose a MessageCount increment.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == conversationId, ct)
            ?? throw new ConversationNotFoundException(conversationId.ToString());
        var message = Stage(db, conversation, MessageSender.Agent, content, conversation.LatestChannel ?? Channels.Web, agentName);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        notifier.Publish(conversation.OrganizationId, conversationId, ConversationChangeKind.Message);
        return message;
    }

    /// <summary>Adds a message to a tracked conversation without saving, for callers that commit more in the same transaction.</summary>
    public Message Stage(DashboardDbContext db, Conversation conversation, MessageSender sender, string content, string channel,
        string? authorName = null)
    {
        content = content.Trim();
        if (content.Length == 0) throw new ArgumentException("A message needs some text.", nameof(content));
        if (content.Length > MaxContentLength)
            throw new ArgumentException($"A message is limited to {MaxContentLength:N0} characters.", nameof(content));

        var now = clock.GetUtcNow().UtcDateTime;
        var message = new Message
        {
            OrganizationId = conversation.OrganizationId,
            ConversationId = conversation.Id,
            Sender = sender,
            Content = content,
            Channel = channel,
            Timestamp = now,
            AuthorName = authorName,
        };
        db.Messages.Add(message);
        conversation.InitialChannel ??= channel;
        conversation.LatestChannel = channel;
        conversation.MessageCount++;
        conversation.LastActivityAt = now;
        conversation.LastMessagePreview = MessagePreview.From(content);
        // Team inbox: unread state and the oldest-waiting sort. Bot messages answer nobody, so they leave both alone.
        if (sender == MessageSender.Customer)
        {
            conversation.LastCustomerMessageAt = now;
            conversation.WaitingSince ??= now;
        }
        else if (sender == MessageSender.Agent)
            conversation.WaitingSince = null;
        return message;
    }
}
