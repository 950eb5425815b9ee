using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Metadata;
using Octocom.Dashboard.Scripting.Engine;

namespace Octocom.Dashboard.Scripting;

/// <summary>An effect that was (or, in a dry run, would be) refused, with the rule it broke.</summary>
/// <param name="Effect">"metadata", "tag" or "event".</param>
/// <param name="Target">The metadata key, tag or event type.</param>
/// <param name="Rule">A stable code: the <see cref="MetadataRules"/> codes, tag_required, event_type_invalid, no_conversation, …</param>
public sealed record EffectRejection(string Effect, string Target, string Rule, string Message);

/// <param name="Applied">True when every effect was committed (false for a dry run or when anything was refused).</param>
/// <param name="Changes">What changed, for <see cref="ConversationNotifier"/>.</param>
public sealed record EffectApplication(bool Applied, IReadOnlyList<EffectRejection> Rejections, IReadOnlyList<ConversationChangeKind> Changes)
{
    public static readonly EffectApplication Nothing = new(false, [], []);
}

/// <summary>
/// Applies a successful run's effects — metadata (through <see cref="MetadataService"/>, all-or-nothing), tags
/// (normalised like agents' tags) and timeline events (source <c>script:&lt;name&gt;</c>) — in ONE transaction:
/// if any effect is refused, none is applied. <see cref="ValidateAsync"/> checks the same rules and rolls back (dry runs).
/// </summary>
public sealed class ScriptEffectApplier(IDbContextFactory<DashboardDbContext> dbFactory, MetadataService metadata, TimeProvider clock)
{
    public const int MaxEventTypeLength = 100;
    public const int MaxEventDescriptionLength = 2000;
    public const int MaxSourceLength = 200;

    public Task<EffectApplication> ApplyAsync(Guid conversationId, ScriptEffects effects, string scriptName, CancellationToken ct = default) =>
        RunAsync(conversationId, effects, scriptName, commit: true, ct);

    /// <summary>What <see cref="ApplyAsync"/> would refuse, without changing anything.</summary>
    public Task<EffectApplication> ValidateAsync(Guid conversationId, ScriptEffects effects, string scriptName, CancellationToken ct = default) =>
        RunAsync(conversationId, effects, scriptName, commit: false, ct);

    /// <summary>Effects requested by a run that has no conversation: all refused.</summary>
    public static IReadOnlyList<EffectRejection> WithoutConversation(ScriptEffects effects)
    {
        const string rule = "no_conversation";
        const string message = "This run has no conversation to apply the effect to.";
        return
        [
            .. effects.Metadata.Select(m => new EffectRejection("metadata", m.Key, rule, message)),
            .. effects.Tags.Select(t => new EffectRejection("tag", t, rule, message)),
            .. effects.Events.Select(e => new EffectRejection("event", e.Type, rule, message)),
        ];
    }

    private async Task<EffectApplication> RunAsync(Guid conversationId, ScriptEffects effects, string scriptName, bool commit, CancellationToken ct)
    {
        if (effects.IsEmpty) return EffectApplication.Nothing;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Id == conversationId, ct);
        if (conversation is null)
            return new EffectApplication(false, [new EffectRejection("conversation", conversationId.ToString(), "conversation_not_found",
                "The conversation no longer exists.")], []);

        var rejections = new List<EffectRejection>();
        var changes = new List<ConversationChangeKind>();
        var now = clock.GetUtcNow().UtcDateTime;

        if (effects.Metadata.Count > 0)
        {
            var staged = await metadata.StageAsync(db, conversationId,
                effects.Metadata.Select(m => new MetadataChange(m.Key, m.Value, MetadataSources.Script)).ToList(),
                MetadataBatchMode.AllOrNothing, ct);
            rejections.AddRange(staged.Rejected.Select(r => new EffectRejection("metadata", r.Key, r.Rule, r.Message)));
            changes.Add(ConversationChangeKind.Metadata);
        }

        if (effects.Tags.Count > 0)
        {
            var existing = (await db.Tags.Where(t => t.ConversationId == conversationId).Select(t => t.Name).ToListAsync(ct)).ToHashSet();
            foreach (var tag in effects.Tags)
            {
                var name = TagService.Normalize(tag);
                if (name is null)
                    rejections.Add(new EffectRejection("tag", tag, "tag_required", "A tag needs a name."));
                else if (existing.Add(name))
                    db.Tags.Add(new ConversationTag { OrganizationId = conversation.OrganizationId, ConversationId = conversationId, Name = name, CreatedAt = now });
            }
            changes.Add(ConversationChangeKind.Tags);
        }

        var source = Truncate("script:" + scriptName, MaxSourceLength);
        foreach (var e in effects.Events)
        {
            var type = e.Type.Trim();
            if (type.Length is 0 or > MaxEventTypeLength)
                rejections.Add(new EffectRejection("event", e.Type, "event_type_invalid",
                    $"An event type must have 1 to {MaxEventTypeLength} characters."));
            else if (e.Description.Length > MaxEventDescriptionLength)
                rejections.Add(new EffectRejection("event", e.Type, "event_description_too_long",
                    $"An event description is limited to {MaxEventDescriptionLength:N0} characters."));
            else
                db.ConversationEvents.Add(new ConversationEvent
                {
                    OrganizationId = conversation.OrganizationId,
                    ConversationId = conversationId,
                    Type = type,
                    Description = e.Description,
                    DataJson = e.Data?.ToJsonString(),
                    Source = source,
                    CreatedAt = now,
                });
        }
        if (effects.Events.Count > 0) changes.Add(ConversationChangeKind.Timeline);

        if (!commit || rejections.Count > 0)
            return new EffectApplication(false, rejections, []); // the transaction is rolled back on dispose

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new EffectApplication(true, [], changes);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
