using Octocom.Dashboard.Scripting;

namespace Octocom.Dashboard.Studio;

/// <summary>A helper function scripts can call (seed 004, plus get_secret): what the editor completes and explains.</summary>
/// <param name="Snippet">Monaco snippet inserted on completion (tab stops for the parameters).</param>
public sealed record HelperCompletion(string Name, string Signature, string Description, string Snippet);

/// <summary>A key of the context dict: <c>Path</c> is the keys leading to it (empty for top-level keys).</summary>
public sealed record ContextKeyCompletion(string[] Path, string Key, string Type, string Description);

/// <summary>
/// What the studio's Monaco editor completes: the helper functions with their signatures, and the keys of
/// <c>context[...]</c> at every level (seed 000). Sent once to wwwroot/js/studio.js, which registers one Python
/// completion provider; kept here so the list is tested against the engine's real helpers.
/// </summary>
public static class EditorCompletions
{
    public static readonly IReadOnlyList<HelperCompletion> Helpers =
    [
        new("add_conversation_tag", "add_conversation_tag(context, tag)",
            "Add a tag to the conversation (applied when the run succeeds; normalised to lower case).",
            "add_conversation_tag(context, ${1:\"tag\"})"),
        new("set_conversation_metadata", "set_conversation_metadata(context, key, value)",
            "Store a metadata value on the conversation. str as is; bool → \"true\"/\"false\"; numbers, dicts and lists as JSON. Keys ≤ 200 characters, values ≤ 50,000, ≤ 200 pairs; chat-widget: keys are read-only.",
            "set_conversation_metadata(context, ${1:\"key\"}, ${2:value})"),
        new("get_conversation_metadata", "get_conversation_metadata(context, key)",
            "The conversation's metadata value for key (a string), or None. Sees earlier sets and deletes of this run.",
            "get_conversation_metadata(context, ${1:\"key\"})"),
        new("delete_conversation_metadata", "delete_conversation_metadata(context, key)",
            "Remove a metadata key from the conversation (applied when the run succeeds).",
            "delete_conversation_metadata(context, ${1:\"key\"})"),
        new("add_conversation_event", "add_conversation_event(context, event)",
            "Add a timeline entry: a description string, or {\"type\": str, \"description\": str, \"data\": any JSON}.",
            "add_conversation_event(context, ${1:\"description\"})"),
        new("llm_classify_binary", "llm_classify_binary(prompt, input, fallback=None)",
            "Ask the configured LLM a yes/no question about input. Returns True or False (fallback when no LLM endpoint is configured or it fails).",
            "llm_classify_binary(${1:\"Is the customer upset?\"}, ${2:text}, fallback=${3:False})"),
        new("llm_classify_category", "llm_classify_category(prompt, input, options, fallback=None)",
            "Ask the configured LLM to pick one of options for input. Returns the option (fallback when unavailable).",
            "llm_classify_category(${1:\"What is this about?\"}, ${2:text}, ${3:[\"billing\", \"shipping\", \"other\"]}, fallback=${4:\"other\"})"),
        new("add_google_sheets_row", "add_google_sheets_row(sheet_id, data)",
            "Append a row (a dict of column → value) to a Google Sheet through the configured Sheets endpoint. Returns True.",
            "add_google_sheets_row(${1:\"SPREADSHEET_ID\"}, {${2:\"Column\": \"value\"}})"),
        new("is_holiday", "is_holiday(country, state=None, region=None, check_date=None)",
            "True when check_date (default: today, UTC; a date, datetime or \"YYYY-MM-DD\") is a public holiday in country (ISO code, e.g. \"US\", \"DE\").",
            "is_holiday(${1:\"US\"})"),
        new("get_secret", "get_secret(name)",
            "The value of the organization's secret called name (Settings → Secrets). Masked as •••• in all output.",
            "get_secret(${1:\"CRM_API_KEY\"})"),
        new("list_predefined_functions", "list_predefined_functions()",
            "The helper functions available to scripts: [{\"name\", \"signature\", \"description\"}].",
            "list_predefined_functions()"),
    ];

    public static readonly IReadOnlyList<ContextKeyCompletion> ContextKeys =
    [
        new([], "conversation", "dict or None", "The conversation: IDs, subject, channels and messages. Always present for widgets and handlers."),
        new([], "business", "dict", "The business the conversation belongs to: name, slug."),
        new([], "customer", "dict or None", "The customer's profile; None until the customer is identified."),
        new([], "args", "dict", "Arguments: the action's or condition's arguments; {\"event_type\": …} for handlers; absent for sidebar widgets."),
        new([], "browser_session", "dict or None", "Web chat only: pages visited, referrer, user agent; None on other channels."),

        new(["conversation"], "id", "str", "Internal conversation UUID."),
        new(["conversation"], "publicId", "str", "Short public ID shown in the dashboard (\"A1B2C3\")."),
        new(["conversation"], "subject", "str", "Subject line."),
        new(["conversation"], "businessSlug", "str", "Slug of the conversation's business."),
        new(["conversation"], "initialChannel", "str or None", "Channel of the first message: \"web\", \"email\", \"instagram\"."),
        new(["conversation"], "latestChannel", "str or None", "Channel of the most recent message."),
        new(["conversation"], "messages", "list", "Messages, oldest first: {sender, timestamp, content, channel}."),
        new(["conversation", "messages", "*"], "sender", "str", "\"customer\", \"bot\" or \"agent\"."),
        new(["conversation", "messages", "*"], "timestamp", "str", "ISO 8601 UTC, e.g. 2026-11-23T13:02:07.123Z."),
        new(["conversation", "messages", "*"], "content", "str", "The message text (Markdown)."),
        new(["conversation", "messages", "*"], "channel", "str", "The channel the message was sent on."),

        new(["business"], "name", "str", "The business name."),
        new(["business"], "slug", "str", "The business slug."),

        new(["customer"], "id", "str", "Internal customer UUID."),
        new(["customer"], "email", "str or None", "Email address."),
        new(["customer"], "name", "str or None", "Name."),
        new(["customer"], "phone", "str or None", "Phone number."),
        new(["customer"], "instagramUsername", "str or None", "Instagram handle."),

        new(["args"], "event_type", "str", "Event handlers: \"conversation_closed\" or \"conversation_handed_off\"."),

        new(["browser_session"], "startedAt", "str", "When the session started (ISO 8601)."),
        new(["browser_session"], "lastSeenAt", "str", "When the customer was last seen (ISO 8601)."),
        new(["browser_session"], "userAgent", "str or None", "The browser's user agent."),
        new(["browser_session"], "referrer", "str or None", "The page that led to the website."),
        new(["browser_session"], "language", "str or None", "The browser's language, e.g. en-GB."),
        new(["browser_session"], "pagesVisited", "list", "Pages in visiting order: {url, title, visitedAt}."),
        new(["browser_session", "pagesVisited", "*"], "url", "str", "Page URL."),
        new(["browser_session", "pagesVisited", "*"], "title", "str or None", "Page title."),
        new(["browser_session", "pagesVisited", "*"], "visitedAt", "str", "When it was visited (ISO 8601)."),
    ];

    /// <summary>Argument names of the function being edited complete under <c>context["args"]</c> too.</summary>
    public static IEnumerable<ContextKeyCompletion> ForArguments(IEnumerable<ArgumentDefinition> arguments) =>
        arguments.Where(a => !string.IsNullOrWhiteSpace(a.Name))
            .Select(a => new ContextKeyCompletion(["args"], a.Name.Trim(), a.Type, string.IsNullOrWhiteSpace(a.Description) ? $"Argument ({a.Type})" : a.Description));
}
