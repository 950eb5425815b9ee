using Octocom.Dashboard.Scripting;

namespace Octocom.Dashboard.Studio;

/// <summary>
/// The code a new function starts with: the kind's entry function, a docstring showing the context it receives
/// (seed 000, with the kind's <c>args</c>) and, for widgets, the return format (seed 002). Each template runs as is.
/// </summary>
public static class StarterTemplates
{
    private const string ContextDoc = """
            context["conversation"]      {CONVERSATION}
                ["id"], ["publicId"]     internal UUID, short public ID ("A1B2C3")
                ["subject"], ["businessSlug"]
                ["initialChannel"], ["latestChannel"]    "web" | "email" | "instagram" | None
                ["messages"]             [{"sender": "customer" | "bot" | "agent", "timestamp": ISO 8601,
                                           "content": str, "channel": str}, ...]  oldest first
            context["business"]          {"name": str, "slug": str}
            context["customer"]          None until identified, else
                                         {"id", "email", "name", "phone", "instagramUsername"} (str or None)
        {ARGS}    context["browser_session"]   None outside web chat, else
                                         {"startedAt", "lastSeenAt", "userAgent", "referrer", "language",
                                          "pagesVisited": [{"url", "title", "visitedAt"}, ...]}

            Metadata is not in the context: read it with get_conversation_metadata(context, key).
            Helpers: add_conversation_tag, set/get/delete_conversation_metadata, add_conversation_event,
            llm_classify_binary, llm_classify_category, add_google_sheets_row, is_holiday, get_secret,
            list_predefined_functions (press Ctrl+Space in the editor for their signatures).
        """;

    public static string For(FunctionKind kind) => kind switch
    {
        FunctionKind.SidebarWidget => Widget,
        FunctionKind.EventHandler => Handler,
        FunctionKind.CustomAction => Action,
        FunctionKind.ConditionProvider => Condition,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string Doc(string conversation, string args) =>
        ContextDoc.Replace("{CONVERSATION}", conversation)
            .Replace("{ARGS}", args.Length == 0 ? "" : args + "\n");

    private static string Widget => $$$""""
        def get_sidebar_data(context):
            """
            Shown in the sidebar of every conversation (runs each time an agent opens one).

        {{{Doc("always present", "    context has no \"args\" key for sidebar widgets.")}}}
            Return {"title": str, "items": [item, ...]} where an item is
                {"title": str, "subtitle": str?, "link": "https://…"?,
                 "badge": {"text": str, "color": "blue" | "green" | "red" | "yellow" | "gray"}?,
                 "actions": [{"label": str, "link": "https://…"?}]?, "collapsible": bool?,
                 "sections": [{"title": str, "collapsible": bool?, "fields": {"Label": "value", ...}}]}
            Return {"title": ..., "items": []} when there is nothing to show.
            """
            customer = context["customer"]
            if not customer or not customer.get("email"):
                return {"title": "Customer", "items": []}

            conversation = context["conversation"]
            return {
                "title": "Customer",
                "items": [
                    {
                        "title": customer.get("name") or customer["email"],
                        "badge": {"text": conversation["latestChannel"] or "unknown", "color": "blue"},
                        "sections": [
                            {
                                "title": "Contact",
                                "fields": {
                                    "Email": customer["email"],
                                    "Messages": str(len(conversation["messages"])),
                                },
                            },
                        ],
                    },
                ],
            }

        """";

    private static string Handler => $$$""""
        def handle_event(context):
            """
            Runs after a conversation event (timeout 60 s; may run more than once per event: be idempotent).

        {{{Doc("always present", "    context[\"args\"]              {\"event_type\": \"conversation_closed\" | \"conversation_handed_off\"}")}}}
            Return any JSON value (dict, list, str, number, bool, None); it is shown in the run log.
            """
            event_type = context["args"]["event_type"]
            conversation = context["conversation"]
            if get_conversation_metadata(context, "handler:last_event") == event_type:
                return {"status": "already handled"}

            set_conversation_metadata(context, "handler:last_event", event_type)
            add_conversation_event(context, f"{event_type} handled for #{conversation['publicId']}")
            return {"status": "ok", "messages": len(conversation["messages"])}

        """";

    private static string Action => $$$""""
        def execute_action(context):
            """
            Runs when the bot (or an agent, from "Run action" on a conversation) invokes this action.

        {{{Doc("present when run for a conversation, else None", "    context[\"args\"]              the arguments defined below the editor, e.g. context[\"args\"][\"orderId\"]")}}}
            Return any JSON value (dict, list, str, number, bool, None).
            """
            args = context["args"]
            conversation = context["conversation"]
            return {
                "received": args,
                "conversation": conversation["publicId"] if conversation else None,
            }

        """";

    private static string Condition => $$$""""
        def check_condition(context):
            """
            Decides a branch of a workflow: return True or False.

        {{{Doc("present when run for a conversation, else None", "    context[\"args\"]              the arguments defined below the editor, e.g. context[\"args\"][\"email\"]")}}}
            """
            customer = context["customer"]
            return bool(customer and customer.get("email"))

        """";
}
