using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Conversations.Inbox;

/// <summary>
/// When one agent last read one conversation. The conversation is unread for that agent while
/// <see cref="Conversation.LastCustomerMessageAt"/> is later (or the agent never opened it). Tenant-owned, so the
/// query filter keeps one organization's read state away from another's even for the same user id.
/// </summary>
public class ConversationRead : ITenantOwned
{
    public required string UserId { get; set; }
    public Guid ConversationId { get; set; }
    public int OrganizationId { get; set; }
    public DateTime ReadAt { get; set; }
}

public sealed class ConversationReadConfiguration : IEntityTypeConfiguration<ConversationRead>
{
    public void Configure(EntityTypeBuilder<ConversationRead> b)
    {
        b.HasKey(x => new { x.UserId, x.ConversationId });
        b.Property(x => x.UserId).HasMaxLength(450);
        b.HasOne<Conversation>().WithMany().HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Marks conversations read for the scope's user.</summary>
public sealed class ReadStateService(IDbContextFactory<DashboardDbContext> dbFactory, IConversationNotifier notifier,
    TenantContext tenant, TimeProvider clock)
{
    public async Task MarkReadAsync(Guid conversationId, CancellationToken ct = default)
    {
        if (tenant.UserId is not { } userId) return; // background scopes have nobody to mark read for
        var organizationId = tenant.RequireOrganizationId();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Through the tenant filter: another organization's conversation id is simply not found.
        if (!await db.Conversations.AnyAsync(c => c.Id == conversationId, ct)) return;
        var read = await db.Set<ConversationRead>().FirstOrDefaultAsync(r => r.UserId == userId && r.ConversationId == conversationId, ct);
        if (read is null)
            db.Add(new ConversationRead { UserId = userId, ConversationId = conversationId, OrganizationId = organizationId, ReadAt = now });
        else
            read.ReadAt = now;
        await db.SaveChangesAsync(ct);
        notifier.Publish(organizationId, conversationId, ConversationChangeKind.Read);
    }
}

/// <summary>The inbox's customer-message times, for code that builds a conversation's messages directly (demo data).</summary>
public static class InboxTimes
{
    public static void FromMessages(Conversation conversation)
    {
        var ordered = conversation.Messages.OrderBy(m => m.Timestamp).ToList();
        conversation.LastCustomerMessageAt = ordered.LastOrDefault(m => m.Sender == MessageSender.Customer)?.Timestamp;
        var lastAgent = ordered.LastOrDefault(m => m.Sender == MessageSender.Agent)?.Timestamp;
        conversation.WaitingSince = ordered.FirstOrDefault(m => m.Sender == MessageSender.Customer && (lastAgent is null || m.Timestamp > lastAgent))?.Timestamp;
    }
}
