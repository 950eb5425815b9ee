using System.Globalization;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.Metadata;

/// <summary>
/// The one place conversation metadata is written. Enforces the contract's limits (200-char keys, 50,000-char values,
/// 200 pairs per conversation), upserts by key, and keeps <see cref="ConversationMetadata.NumericValue"/> in step.
/// </summary>
public sealed class MetadataService(
    IDbContextFactory<DashboardDbContext> dbFactory,
    IValidator<MetadataChange> validator,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<ConversationMetadata>> GetAsync(Guid conversationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ConversationMetadata.AsNoTracking()
            .Where(m => m.ConversationId == conversationId)
            .OrderBy(m => m.Key)
            .ToListAsync(ct);
    }

    /// <summary>Validates and applies <paramref name="changes"/> in their own transaction.</summary>
    /// <exception cref="ConversationNotFoundException">The conversation does not exist in the current organization.</exception>
    public async Task<MetadataWriteResult> WriteAsync(Guid conversationId, IReadOnlyList<MetadataChange> changes,
        MetadataBatchMode mode = MetadataBatchMode.Partial, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var result = await StageAsync(db, conversationId, changes, mode, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// Validates <paramref name="changes"/> in order and stages the valid ones on <paramref name="db"/> without saving,
    /// so callers can commit them together with other work (a customer message, a script run's effects).
    /// Run it inside a transaction: the pair count is read, then written.
    /// </summary>
    public Task<MetadataWriteResult> StageAsync(DashboardDbContext db, Guid conversationId,
        IReadOnlyList<MetadataChange> changes, MetadataBatchMode mode, CancellationToken ct = default) =>
        StageAsync(db, conversationId, changes, mode, stored: null, ct);

    /// <summary>
    /// As above, with the conversation's current pairs already loaded by the caller <b>without tracking</b> and in the
    /// same transaction (e.g. one query for a batch of conversations). Only pairs that change are attached and written;
    /// the service does not query them again. Pass an empty list for a conversation created in this unit of work.
    /// </summary>
    public async Task<MetadataWriteResult> StageAsync(DashboardDbContext db, Guid conversationId,
        IReadOnlyList<MetadataChange> changes, MetadataBatchMode mode, IReadOnlyCollection<ConversationMetadata>? stored,
        CancellationToken ct = default)
    {
        // Entry lookups below must not run DetectChanges over everything the caller tracks: a caller that stages many
        // conversations in one unit of work (the chat API's group commit) would pay a full scan per pair. States are
        // set explicitly here; SaveChanges still detects the property changes. A conversation the caller tracks (loaded
        // or just added) needs no second lookup.
        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try { return await StageCoreAsync(db, conversationId, changes, mode, stored, ct); }
        finally { db.ChangeTracker.AutoDetectChangesEnabled = autoDetect; }
    }

    private async Task<MetadataWriteResult> StageCoreAsync(DashboardDbContext db, Guid conversationId,
        IReadOnlyList<MetadataChange> changes, MetadataBatchMode mode, IReadOnlyCollection<ConversationMetadata>? preloaded,
        CancellationToken ct)
    {
        var tracked = db.Conversations.Local.FindEntry(conversationId);
        if (tracked is { State: EntityState.Deleted or EntityState.Detached }) tracked = null;
        if (tracked is null && !await db.Conversations.AnyAsync(c => c.Id == conversationId, ct))
            throw new ConversationNotFoundException(conversationId.ToString());
        if (changes.Count == 0) return MetadataWriteResult.Empty;

        var stored = preloaded?.ToDictionary(m => m.Key, StringComparer.Ordinal)
            ?? await db.ConversationMetadata
                .Where(m => m.ConversationId == conversationId)
                .ToDictionaryAsync(m => m.Key, StringComparer.Ordinal, ct);
        var unattached = preloaded is null ? null : new HashSet<ConversationMetadata>(preloaded, ReferenceEqualityComparer.Instance);
        var keys = new HashSet<string>(stored.Keys, StringComparer.Ordinal);

        var accepted = new List<MetadataChange>();
        var rejected = new List<MetadataRejection>();
        foreach (var change in changes)
        {
            var validation = await validator.ValidateAsync(change, ct);
            if (!validation.IsValid)
            {
                var error = validation.Errors[0];
                rejected.Add(new MetadataRejection(change.Key, error.ErrorCode, error.ErrorMessage));
                continue;
            }
            if (change.IsDelete)
            {
                keys.Remove(change.Key);
            }
            else if (!keys.Contains(change.Key))
            {
                if (keys.Count >= MetadataLimits.MaxPairsPerConversation)
                {
                    rejected.Add(new MetadataRejection(change.Key, MetadataRules.TooManyPairs,
                        $"The conversation already has {keys.Count} metadata pairs; the limit is {MetadataLimits.MaxPairsPerConversation}."));
                    continue;
                }
                keys.Add(change.Key);
            }
            accepted.Add(change);
        }

        if (mode == MetadataBatchMode.AllOrNothing && rejected.Count > 0)
        {
            var refused = accepted.Select(c => new MetadataRejection(c.Key, MetadataRules.BatchRejected,
                "Not applied because another change in the same batch was invalid."));
            return new MetadataWriteResult([], [.. rejected, .. refused]);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var change in accepted)
        {
            if (unattached is not null && stored.TryGetValue(change.Key, out var preloadedPair) && unattached.Remove(preloadedPair))
            {
                if (change.Value == preloadedPair.Value && change.Source == preloadedPair.Source)
                {
                    unattached.Add(preloadedPair); // the same value again: nothing to write, stays untracked
                    continue;
                }
                db.ConversationMetadata.Attach(preloadedPair);
            }
            Stage(db, conversationId, stored, change, now);
        }
        return new MetadataWriteResult(accepted, rejected);
    }

    private static void Stage(DashboardDbContext db, Guid conversationId, Dictionary<string, ConversationMetadata> stored,
        MetadataChange change, DateTime now)
    {
        stored.TryGetValue(change.Key, out var existing);
        if (existing is not null && db.Entry(existing).State == EntityState.Detached)
        {
            // Added earlier in this batch, then deleted: forget it.
            stored.Remove(change.Key);
            existing = null;
        }
        if (change.Value is null)
        {
            if (existing is not null && db.Entry(existing).State != EntityState.Deleted)
                db.ConversationMetadata.Remove(existing);
            return;
        }
        if (existing is null)
        {
            existing = new ConversationMetadata
            {
                ConversationId = conversationId,
                Key = change.Key,
                Value = change.Value,
                CreatedAt = now,
            };
            db.ConversationMetadata.Add(existing);
            stored[change.Key] = existing;
        }
        else if (db.Entry(existing).State == EntityState.Unchanged && existing.Value == change.Value && existing.Source == change.Source)
        {
            // The same value again (the chat widget sends its whole map with every message): nothing to write.
            return;
        }
        else if (db.Entry(existing).State == EntityState.Deleted)
        {
            // Deleted earlier in this batch, set again: keep the row (avoids a delete+insert on the unique key).
            db.Entry(existing).State = EntityState.Modified;
        }
        existing.Value = change.Value;
        existing.NumericValue = ParseNumber(change.Value);
        existing.UpdatedAt = now;
        existing.Source = change.Source;
    }

    /// <summary>The value as a number when the whole (trimmed) value is one, in invariant culture: "489.99", "-3", "1e3".</summary>
    public static double? ParseNumber(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Length is 0 or > 64) return null;
        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : null;
    }
}
