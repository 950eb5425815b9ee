using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.ChatApi;

/// <summary>
/// Group commit for customer messages. Concurrent sends queue here; one loop takes whatever has queued up (at most
/// <see cref="ChatApiOptions.MaxSendBatch"/>, one message per conversation) and stores each organization's share in
/// one transaction through <see cref="ChatMessageWriter"/>. Under load this turns hundreds of small SQLite
/// transactions into a few larger ones; with one visitor typing it is a batch of one and adds no delay.
/// Each message still commits together with its own metadata and customer link. If a batch fails, its messages are
/// retried one by one so a single bad message cannot fail the others.
/// </summary>
public sealed class ChatSendQueue(TenantScopes scopes, ChatWriteGate gate, ConversationNotifier notifier,
    IOptions<ChatApiOptions> options, ILogger<ChatSendQueue> logger) : IAsyncDisposable
{
    /// <summary>Who reopens a closed conversation when the customer writes again.</summary>
    public const string Actor = "customer";

    private sealed record Pending(ChatSendRequest Request, TaskCompletionSource<ChatSendOutcome?> Completion);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startLock = new();
    private Task? _loop;

    /// <summary>
    /// Stores the customer's message with its custom data (even when some of the data is rejected) and tells open
    /// dashboard pages. Null when the token does not open this conversation of this business. Not cancellable once
    /// queued: the message is stored even if the visitor's connection drops meanwhile.
    /// </summary>
    public async Task<ChatSent?> SendAsync(PublicBusiness business, Guid conversationId, string token, ChatSendInput input)
    {
        EnsureStarted();
        var pending = new Pending(new ChatSendRequest(business, conversationId, token, input),
            new TaskCompletionSource<ChatSendOutcome?>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(ChatSendQueue));
        var outcome = await pending.Completion.Task;
        if (outcome is null) return null;

        notifier.Publish(business.OrganizationId, conversationId, ConversationChangeKind.Message);
        if (outcome.Data.MetadataApplied > 0 || outcome.Data.CustomerChanged)
            notifier.Publish(business.OrganizationId, conversationId, ConversationChangeKind.Metadata);
        if (outcome.WasClosed)
        {
            // A customer writing into a closed conversation reopens it — through the one status path.
            await using var scope = scopes.Create(business.OrganizationId, Actor);
            await scope.ServiceProvider.GetRequiredService<ConversationLifecycle>().ReopenAsync(conversationId, Actor);
        }
        if (outcome.AssigneeId is not null)
        {
            // The agent who owns the conversation hears of it (one coalesced notification while unread).
            await using var scope = scopes.Create(business.OrganizationId, Actor);
            await scope.ServiceProvider.GetRequiredService<Notifications.InboxNotifications>().CustomerMessageAsync(
                new Conversation { Id = conversationId, PublicId = outcome.PublicId, Subject = outcome.Subject, AssigneeId = outcome.AssigneeId },
                outcome.Message.Content.Length > 200 ? outcome.Message.Content[..200] + "…" : outcome.Message.Content);
        }
        return new ChatSent(outcome.Message, outcome.Data.Rejected);
    }

    private void EnsureStarted()
    {
        if (_loop is not null) return;
        lock (_startLock) _loop ??= Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        var max = options.Value.MaxSendBatch;
        var deferred = new Queue<Pending>();
        var batch = new List<Pending>(max);
        var inBatch = new HashSet<Guid>();
        while (deferred.Count > 0 || await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            inBatch.Clear();
            // A second message for a conversation already in the batch waits for the next one (keeps the order).
            var carried = deferred.Count;
            for (var i = 0; i < carried && batch.Count < max; i++)
            {
                var item = deferred.Dequeue();
                if (inBatch.Add(item.Request.ConversationId)) batch.Add(item); else deferred.Enqueue(item);
            }
            while (batch.Count < max && _queue.Reader.TryRead(out var item))
            {
                if (inBatch.Add(item.Request.ConversationId) && !deferred.Any(d => d.Request.ConversationId == item.Request.ConversationId))
                    batch.Add(item);
                else
                    deferred.Enqueue(item);
            }
            foreach (var group in batch.GroupBy(p => p.Request.Business.OrganizationId))
                await WriteAsync(group.Key, group.ToList());
        }
    }

    private async Task WriteAsync(int organizationId, List<Pending> items)
    {
        try
        {
            var outcomes = await WriteBatchAsync(organizationId, items.Select(p => p.Request).ToList());
            for (var i = 0; i < items.Count; i++) items[i].Completion.TrySetResult(outcomes[i]);
        }
        catch (Exception ex) when (items.Count > 1)
        {
            logger.LogWarning(ex, "A batch of {Count} chat messages failed; storing them one by one", items.Count);
            foreach (var item in items) await WriteAsync(organizationId, [item]);
        }
        catch (Exception ex)
        {
            items[0].Completion.TrySetException(ex);
        }
    }

    private async Task<IReadOnlyList<ChatSendOutcome?>> WriteBatchAsync(int organizationId, IReadOnlyList<ChatSendRequest> requests)
    {
        using (await gate.EnterAsync(CancellationToken.None))
        {
            await using var scope = scopes.Create(organizationId, "chat-widget");
            return await scope.ServiceProvider.GetRequiredService<ChatMessageWriter>().WriteAsync(requests);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is not null) await _loop;
    }
}
