using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Conversations;

namespace Octocom.Dashboard.ChatApi;

/// <summary>What the visitor's browser reports when a web chat starts.</summary>
public sealed record ChatVisitor(string? UserAgent, string? Referrer, string? Language);

/// <summary>The page the visitor is on when they start the chat or send a message.</summary>
public sealed record ChatPage(string? Url, string? Title);

/// <summary>One entry of <see cref="BrowserSession.PagesVisitedJson"/>.</summary>
public sealed record VisitedPage(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("visitedAt")] DateTime VisitedAt);

/// <summary>
/// Keeps the <see cref="BrowserSession"/> of a web chat (the source of <c>context["browser_session"]</c>): created when
/// the chat starts, a page appended whenever a message comes from a different URL than the last one recorded. Only
/// http(s) URLs are kept; titles and URLs are truncated; the newest <see cref="ChatApiOptions.MaxPagesPerSession"/> stay.
/// </summary>
public sealed class BrowserSessionRecorder(IOptions<ChatApiOptions> options)
{
    public const int MaxUrlLength = 2000;
    public const int MaxTitleLength = 300;
    public const int MaxUserAgentLength = 1000;
    public const int MaxLanguageLength = 50;
    /// <summary>LastSeenAt is refreshed at most this often when the page did not change (saves a write per message).</summary>
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    public BrowserSession Start(Conversation conversation, ChatVisitor visitor, ChatPage? page, DateTime now)
    {
        var session = new BrowserSession
        {
            OrganizationId = conversation.OrganizationId,
            ConversationId = conversation.Id,
            UserAgent = Truncate(visitor.UserAgent, MaxUserAgentLength),
            Referrer = CleanUrl(visitor.Referrer),
            Language = Truncate(visitor.Language, MaxLanguageLength),
            StartedAt = now,
            LastSeenAt = now,
        };
        RecordPage(session, page, now);
        return session;
    }

    /// <summary>Appends <paramref name="page"/> when its URL differs from the last recorded one; returns whether it did.</summary>
    public bool RecordPage(BrowserSession session, ChatPage? page, DateTime now)
    {
        var url = CleanUrl(page?.Url);
        if (url is null)
        {
            TouchLastSeen(session, now);
            return false;
        }
        if (LastUrl(session.PagesVisitedJson) == url)
        {
            TouchLastSeen(session, now);
            return false;
        }
        var pages = Read(session);
        pages.Add(new VisitedPage(url, Truncate(page!.Title?.Trim(), MaxTitleLength) ?? "", now));
        var max = options.Value.MaxPagesPerSession;
        if (pages.Count > max) pages.RemoveRange(0, pages.Count - max);
        session.PagesVisitedJson = JsonSerializer.Serialize(pages);
        session.LastSeenAt = now;
        return true;
    }

    public static List<VisitedPage> Read(BrowserSession session)
    {
        try { return JsonSerializer.Deserialize<List<VisitedPage>>(session.PagesVisitedJson) ?? []; }
        catch (JsonException) { return []; }
    }

    /// <summary>
    /// The last page's URL without parsing the whole list (every message asks). Inside JSON strings a quote is always
    /// escaped, so the last <c>"url":</c> in the text is the last page's property name.
    /// </summary>
    public static string? LastUrl(string pagesJson)
    {
        var at = pagesJson.LastIndexOf("\"url\":", StringComparison.Ordinal);
        if (at < 0) return null;
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(pagesJson[(at + 6)..]), isFinalBlock: false, state: default);
        try { return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null; }
        catch (JsonException) { return null; }
    }

    private static void TouchLastSeen(BrowserSession session, DateTime now)
    {
        if (now - session.LastSeenAt >= LastSeenResolution) session.LastSeenAt = now;
    }

    /// <summary>An absolute http(s) URL of reasonable length, or null.</summary>
    public static string? CleanUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return null;
        var trimmed = url.Trim();
        if (trimmed.Length > MaxUrlLength) return null;
        return Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? trimmed
            : null;
    }

    private static string? Truncate(string? value, int max) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Length <= max ? value : value[..max];
}
