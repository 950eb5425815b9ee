using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.Scripting;

/// <summary>The context dict for one run, plus what the engine needs beside it.</summary>
/// <param name="Context">Exactly what the script receives as <c>context</c> (seed 000).</param>
/// <param name="Metadata">The conversation's metadata, read by get_conversation_metadata (empty without a conversation).</param>
public sealed record ScriptContext(
    JsonObject Context,
    Guid? ConversationId,
    int BusinessId,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>Why a context could not be built; <see cref="Code"/> is stable (conversation_not_found, …).</summary>
public sealed class ScriptContextException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// The one place the Python <c>context</c> is built, for every caller (sidebar, event handlers, custom actions,
/// studio test runs, CLI), so they cannot drift apart. Follows seed 000 field by field:
/// <code>
/// {
///   "conversation": {"id", "publicId", "subject", "businessSlug", "initialChannel", "latestChannel",
///                    "messages": [{"sender", "timestamp", "content", "channel"}]}   | None,
///   "business": {"name", "slug"},
///   "customer": {"id", "email", "name", "phone", "instagramUsername"}              | None,
///   "args": {...}                       (absent for sidebar widgets; {"event_type": …} for event handlers),
///   "browser_session": {"startedAt", "lastSeenAt", "userAgent", "referrer", "language",
///                       "pagesVisited": [{"url", "title", "visitedAt"}]}           | None
/// }
/// </code>
/// Timestamps are ISO 8601 UTC with milliseconds ("2026-11-23T13:02:07.123Z"). Reads through the tenant filter, so
/// another organization's conversation is simply not found.
/// </summary>
public sealed class ScriptContextBuilder(IDbContextFactory<DashboardDbContext> dbFactory)
{
    /// <param name="conversation">A conversation GUID or public ID ("A1B2C3"). Required for sidebar widgets and event handlers.</param>
    /// <param name="businessId">The business for custom actions and condition providers run without a conversation (ignored when a conversation is given).</param>
    /// <param name="args">Custom actions and condition providers: their arguments. Ignored for sidebar widgets and event handlers.</param>
    /// <param name="eventType">Event handlers: conversation_closed or conversation_handed_off.</param>
    /// <exception cref="ScriptContextException">The conversation or business is not found in this organization, or a required input is missing.</exception>
    public async Task<ScriptContext> BuildAsync(FunctionKind kind, string? conversation, int? businessId = null,
        JsonObject? args = null, string? eventType = null, CancellationToken ct = default)
    {
        if (kind == FunctionKind.EventHandler && !EventTypes.All.Contains(eventType))
            throw new ScriptContextException("event_type_required",
                $"Event handlers need an event type: {string.Join(" or ", EventTypes.All)}" + (eventType is null ? "." : $" (not '{eventType}')."));

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        Conversation? loaded = null;
        if (!string.IsNullOrWhiteSpace(conversation))
        {
            var id = await ConversationReader.ResolveIdAsync(db, conversation, ct)
                ?? throw new ScriptContextException("conversation_not_found", $"Conversation '{conversation.Trim()}' was not found.");
            loaded = await db.Conversations.AsNoTracking().AsSplitQuery()
                .Include(c => c.Business)
                .Include(c => c.Customer)
                .Include(c => c.Messages.OrderBy(m => m.Timestamp).ThenBy(m => m.Id))
                .Include(c => c.Metadata)
                .Include(c => c.BrowserSession)
                .FirstAsync(c => c.Id == id, ct);
        }
        else if (kind is FunctionKind.SidebarWidget or FunctionKind.EventHandler)
        {
            throw new ScriptContextException("conversation_required", $"{kind.DisplayName()}s always run on a conversation; give its ID or public ID.");
        }

        var business = loaded?.Business
            ?? (businessId is { } bid ? await db.Businesses.AsNoTracking().FirstOrDefaultAsync(b => b.Id == bid, ct) : null)
            ?? throw new ScriptContextException(businessId is null ? "business_required" : "business_not_found",
                businessId is null
                    ? "Without a conversation, choose the business the run is for."
                    : $"Business {businessId} was not found.");

        var context = new JsonObject
        {
            ["conversation"] = loaded is null ? null : ConversationNode(loaded, business),
            ["business"] = new JsonObject { ["name"] = business.Name, ["slug"] = business.Slug },
            ["customer"] = loaded?.Customer is { } customer ? CustomerNode(customer) : null,
        };
        if (kind.ReceivesArgs())
            context["args"] = kind == FunctionKind.EventHandler
                ? new JsonObject { ["event_type"] = eventType }
                : (JsonObject?)args?.DeepClone() ?? new JsonObject();
        context["browser_session"] = loaded?.BrowserSession is { } session ? BrowserSessionNode(session) : null;

        var metadata = loaded?.Metadata.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal)
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
        return new ScriptContext(context, loaded?.Id, business.Id, metadata);
    }

    private static JsonObject ConversationNode(Conversation c, Business business) => new()
    {
        ["id"] = c.Id.ToString(),
        ["publicId"] = c.PublicId,
        ["subject"] = c.Subject,
        ["businessSlug"] = business.Slug,
        ["initialChannel"] = c.InitialChannel,
        ["latestChannel"] = c.LatestChannel,
        ["messages"] = new JsonArray(c.Messages.Select(m => (JsonNode)new JsonObject
        {
            ["sender"] = m.Sender.ToWire(),
            ["timestamp"] = Iso(m.Timestamp),
            ["content"] = m.Content,
            ["channel"] = m.Channel,
        }).ToArray()),
    };

    private static JsonObject CustomerNode(Customer c) => new()
    {
        ["id"] = c.Id.ToString(),
        ["email"] = c.Email,
        ["name"] = c.Name,
        ["phone"] = c.Phone,
        ["instagramUsername"] = c.InstagramUsername,
    };

    private static JsonObject BrowserSessionNode(BrowserSession s) => new()
    {
        ["startedAt"] = Iso(s.StartedAt),
        ["lastSeenAt"] = Iso(s.LastSeenAt),
        ["userAgent"] = s.UserAgent,
        ["referrer"] = s.Referrer,
        ["language"] = s.Language,
        ["pagesVisited"] = PagesVisited(s.PagesVisitedJson),
    };

    /// <summary>The stored page list, reduced to url/title/visitedAt; unreadable JSON gives an empty list rather than a failed run.</summary>
    private static JsonArray PagesVisited(string json)
    {
        JsonArray? stored;
        try { stored = JsonNode.Parse(json) as JsonArray; }
        catch (JsonException) { stored = null; }
        return new JsonArray((stored ?? []).OfType<JsonObject>().Select(page => (JsonNode)new JsonObject
        {
            ["url"] = Text(page["url"]),
            ["title"] = Text(page["title"]),
            ["visitedAt"] = Text(page["visitedAt"]) is { } at && DateTime.TryParse(at, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed) ? Iso(parsed) : Text(page["visitedAt"]),
        }).ToArray());
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();

    /// <summary>ISO 8601 in UTC with milliseconds; SQLite returns unspecified kinds, which are UTC by convention here.</summary>
    public static string Iso(DateTime value) =>
        (value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc))
        .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
