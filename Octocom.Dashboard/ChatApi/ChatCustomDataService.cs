using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Metadata;

namespace Octocom.Dashboard.ChatApi;

public static class ChatDataRules
{
    /// <summary>The key is empty once the prefix is stripped.</summary>
    public const string KeyRequired = MetadataRules.KeyRequired;
    /// <summary>A JSON null: custom data is never deleted through the widget, so null is refused rather than treated as "remove".</summary>
    public const string ValueNull = "value_null";
}

public static class ChatDataTargets
{
    /// <summary>The pair was not stored as metadata.</summary>
    public const string Metadata = "metadata";
    /// <summary>The pair was stored as metadata, but the value was not applied to the customer record.</summary>
    public const string Customer = "customer";
}

/// <summary>One custom-data key that was not applied, with the rule it broke and a message naming the limit.</summary>
public sealed record ChatDataRejection(string Key, string MetadataKey, string Rule, string Message, string Target);

public sealed record ChatCustomDataResult(int MetadataApplied, IReadOnlyList<ChatDataRejection> Rejected, bool CustomerChanged)
{
    public static readonly ChatCustomDataResult Empty = new(0, [], false);
}

/// <summary>
/// The chat-widget custom data rules (seed 001), in one place: a key <c>X</c> (the widget strips <c>octocom:data:</c>)
/// becomes metadata <c>chat-widget:X</c>; values are strings; pairs are upserted and keys missing from a later map are
/// left alone; the 200-char key limit applies to the stored key, values are limited to 50,000 chars and conversations
/// to 200 pairs (all enforced by <see cref="MetadataService"/> in Partial mode with source chat-widget); the special
/// keys email, name and phone also update or link the conversation's customer. Nothing here saves: the caller commits
/// the staged changes together with the customer's message.
/// </summary>
public sealed class ChatCustomDataService(MetadataService metadata, IValidator<ChatCustomerFields> customerValidator)
{
    /// <summary>
    /// "plan" → "chat-widget:plan". Keys arrive stripped; a key that still carries the exact, case-sensitive
    /// localStorage prefix "octocom:data:" is stripped once more, so raw localStorage names work too. Any other
    /// text (e.g. "Octocom:Data:plan") is part of the key.
    /// </summary>
    public static string ToMetadataKey(string sentKey) => MetadataLimits.ChatWidgetPrefix + StripLocalStoragePrefix(sentKey);

    public static string StripLocalStoragePrefix(string key) =>
        key.StartsWith(MetadataLimits.LocalStoragePrefix, StringComparison.Ordinal) ? key[MetadataLimits.LocalStoragePrefix.Length..] : key;

    /// <summary>Whether the map carries email, name or phone (callers load the customer with the conversation then).</summary>
    public static bool HasCustomerFields(IEnumerable<KeyValuePair<string, string?>> data) =>
        data.Any(p => StripLocalStoragePrefix(p.Key ?? "") is ChatCustomerFields.EmailKey or ChatCustomerFields.NameKey or ChatCustomerFields.PhoneKey);

    /// <summary>Stages the map on <paramref name="db"/> for the tracked <paramref name="conversation"/> (saved or just added).</summary>
    /// <param name="storedMetadata">The conversation's pairs, loaded without tracking in this transaction (see
    /// <see cref="MetadataService"/>); null to let the metadata service load them.</param>
    public async Task<ChatCustomDataResult> StageAsync(DashboardDbContext db, Conversation conversation,
        IReadOnlyCollection<KeyValuePair<string, string?>> data, IReadOnlyCollection<ConversationMetadata>? storedMetadata = null,
        CancellationToken ct = default)
    {
        if (data.Count == 0) return ChatCustomDataResult.Empty;

        var rejected = new List<ChatDataRejection>();
        // Later duplicates of the same stored key win (e.g. "plan" and "octocom:data:plan" in one map).
        var pairs = new Dictionary<string, (string SentKey, string Value)>(StringComparer.Ordinal);
        foreach (var (sentKey, value) in data)
        {
            var name = StripLocalStoragePrefix(sentKey ?? "");
            var metadataKey = MetadataLimits.ChatWidgetPrefix + name;
            if (string.IsNullOrWhiteSpace(name))
                rejected.Add(new(sentKey ?? "", metadataKey, ChatDataRules.KeyRequired, "A custom data key needs a name after the prefix.", ChatDataTargets.Metadata));
            else if (value is null)
                rejected.Add(new(sentKey!, metadataKey, ChatDataRules.ValueNull,
                    "Null is not a value; remove the key from localStorage instead (stored data is kept).", ChatDataTargets.Metadata));
            else
                pairs[metadataKey] = (sentKey!, value);
        }

        var changes = pairs.Select(p => MetadataChange.Set(p.Key, p.Value.Value, MetadataSources.ChatWidget)).ToList();
        var written = await metadata.StageAsync(db, conversation.Id, changes, MetadataBatchMode.Partial, storedMetadata, ct);
        foreach (var r in written.Rejected)
            rejected.Add(new(pairs.TryGetValue(r.Key, out var p) ? p.SentKey : r.Key, r.Key, r.Rule, r.Message, ChatDataTargets.Metadata));

        var fields = new ChatCustomerFields(
            SpecialValue(pairs, ChatCustomerFields.EmailKey), SpecialValue(pairs, ChatCustomerFields.NameKey), SpecialValue(pairs, ChatCustomerFields.PhoneKey));
        var customerChanged = false;
        if (!fields.IsEmpty)
        {
            var validation = await customerValidator.ValidateAsync(fields, ct);
            foreach (var error in validation.Errors)
            {
                var key = error.PropertyName.ToLowerInvariant();
                var metadataKey = MetadataLimits.ChatWidgetPrefix + key;
                rejected.Add(new(pairs[metadataKey].SentKey, metadataKey, error.ErrorCode,
                    error.ErrorMessage + " The customer record was not changed.", ChatDataTargets.Customer));
            }
            bool Valid(string property) => validation.Errors.All(e => e.PropertyName != property);
            customerChanged = await ApplyToCustomerAsync(db, conversation,
                Valid(nameof(ChatCustomerFields.Email)) ? fields.Email : null,
                Valid(nameof(ChatCustomerFields.Name)) ? fields.Name : null,
                Valid(nameof(ChatCustomerFields.Phone)) ? fields.Phone : null, ct);
        }
        return new ChatCustomDataResult(written.Applied.Count, rejected, customerChanged);
    }

    /// <summary>The special key's value when it is present and not blank (a blank value leaves the customer alone).</summary>
    private static string? SpecialValue(Dictionary<string, (string SentKey, string Value)> pairs, string key) =>
        pairs.TryGetValue(MetadataLimits.ChatWidgetPrefix + key, out var p) && !string.IsNullOrWhiteSpace(p.Value) ? p.Value : null;

    /// <summary>
    /// Find-or-create by email within the organization: an existing customer with that email is linked; otherwise the
    /// conversation's customer gets the email when it has none yet, or a new customer is created (a different email
    /// means a different person — another customer's email is never overwritten). Name and phone then update the
    /// linked customer, creating an anonymous one when the conversation has none.
    /// </summary>
    private static async Task<bool> ApplyToCustomerAsync(DashboardDbContext db, Conversation conversation,
        string? email, string? name, string? phone, CancellationToken ct)
    {
        if (email is null && name is null && phone is null) return false;
        var changed = false;
        var customer = conversation.CustomerId is { } currentId
            ? conversation.Customer ?? await db.Customers.FirstOrDefaultAsync(c => c.Id == currentId, ct)
            : null;

        if (email is not null)
        {
            var normalized = ChatCustomerFields.NormalizeEmail(email);
            if (customer?.Email != normalized)
            {
                // Also look among customers added earlier in this unit of work (another message of the same batch).
                var byEmail = TrackedCustomer(db, normalized) ?? await db.Customers.FirstOrDefaultAsync(c => c.Email == normalized, ct);
                if (byEmail is not null)
                    customer = byEmail;
                else if (customer is not null && customer.Email is null)
                    customer.Email = normalized;
                else
                    customer = NewCustomer(db, conversation, normalized);
                changed = true;
            }
        }
        if (customer is null && (name is not null || phone is not null))
        {
            customer = NewCustomer(db, conversation, null);
            changed = true;
        }
        if (customer is null) return changed;

        if (name is not null && customer.Name != name.Trim()) { customer.Name = name.Trim(); changed = true; }
        if (phone is not null && customer.Phone != phone.Trim()) { customer.Phone = phone.Trim(); changed = true; }
        if (conversation.CustomerId != customer.Id)
        {
            conversation.CustomerId = customer.Id;
            conversation.Customer = customer;
            changed = true;
        }
        return changed;
    }

    /// <summary>Scans the tracked customers without a DetectChanges pass (which would cost a scan of every tracked entity).</summary>
    private static Customer? TrackedCustomer(DashboardDbContext db, string email)
    {
        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try { return db.Customers.Local.FirstOrDefault(c => c.Email == email); }
        finally { db.ChangeTracker.AutoDetectChangesEnabled = autoDetect; }
    }

    private static Customer NewCustomer(DashboardDbContext db, Conversation conversation, string? email)
    {
        var customer = new Customer { OrganizationId = conversation.OrganizationId, Email = email };
        db.Customers.Add(customer);
        return customer;
    }
}
