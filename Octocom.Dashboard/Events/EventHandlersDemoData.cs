using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Data.Seeding;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Events;

/// <summary>
/// Two event handlers per demo organization that work offline and show what handlers do: a resolution summary on
/// close (tag, metadata, a timeline entry) and a handoff marker. Both are idempotent through metadata, as seed 004
/// advises, because the dispatcher may run a handler twice for one event.
/// </summary>
public sealed class EventHandlersDemoData(TenantScopes scopes) : IDemoDataContributor
{
    public const string SummaryName = "Resolution summary";
    public const string HandoffName = "Handoff marker";

    public const string SummaryCode = """
        def handle_event(context):
            # Runs when a conversation is closed. Idempotent: a repeated run for the same close (the dispatcher may
            # run a handler twice) finds its own marker and does nothing; a new close after more messages summarises again.
            conversation = context["conversation"]
            messages = conversation["messages"]
            if get_conversation_metadata(context, "summary:message_count") == str(len(messages)):
                return {"status": "already summarised", "messages": len(messages)}

            counts = {"customer": 0, "bot": 0, "agent": 0}
            for message in messages:
                counts[message["sender"]] = counts.get(message["sender"], 0) + 1

            add_conversation_tag(context, "resolved")
            set_conversation_metadata(context, "closed_by_bot", "resolution-summary")
            set_conversation_metadata(context, "summary:message_count", len(messages))
            add_conversation_event(context, {
                "type": "resolution_summary",
                "description": f"Closed after {len(messages)} messages: {counts['customer']} from the customer, "
                               f"{counts['agent']} from agents, {counts['bot']} from the bot",
                "data": counts,
            })
            return {"status": "summarised", "event": context["args"]["event_type"], "messages": len(messages)}
        """;

    public const string HandoffCode = """
        def handle_event(context):
            # Runs when a conversation is handed off to a human. Tags and metadata are upserts, so a repeated run
            # changes nothing.
            messages = context["conversation"]["messages"]
            waiting = [m["content"] for m in messages if m["sender"] == "customer"][-3:]
            add_conversation_tag(context, "needs-human")
            set_conversation_metadata(context, "handoff:customer_messages", len(waiting))
            print(f"Handed off {context['conversation']['publicId']} with {len(waiting)} recent customer message(s)")
            return {"status": "marked", "recent_customer_messages": len(waiting)}
        """;

    public int Order => 40;

    public async Task ContributeAsync(DemoSeedContext context, CancellationToken ct)
    {
        foreach (var org in context.Organizations)
        {
            await using var scope = scopes.Create(org.Organization.Id, actor: "demo data");
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync(ct);
            await AddAsync(db, SummaryName, "Tags closed conversations, stores a message count and adds a summary to the timeline.",
                EventTypes.ConversationClosed, SummaryCode, sortOrder: 10, ct);
            await AddAsync(db, HandoffName, "Tags handed-off conversations and counts the customer's recent messages.",
                EventTypes.ConversationHandedOff, HandoffCode, sortOrder: 20, ct);
        }
    }

    private static async Task AddAsync(DashboardDbContext db, string name, string description, string eventType, string code,
        int sortOrder, CancellationToken ct)
    {
        if (await db.PythonFunctions.AnyAsync(f => f.Kind == FunctionKind.EventHandler && f.Name == name, ct)) return;
        var function = new PythonFunction
        {
            Kind = FunctionKind.EventHandler, Name = name, Description = description, EventType = eventType, Code = code,
            IsActive = true, SortOrder = sortOrder, UpdatedBy = "demo data",
        };
        db.PythonFunctions.Add(function);
        await db.SaveChangesAsync(ct);
        db.PythonFunctionVersions.Add(new PythonFunctionVersion
        {
            FunctionId = function.Id, Version = function.Version, Name = name, Code = code, EventType = eventType, CreatedBy = "demo data",
        });
        await db.SaveChangesAsync(ct);
    }
}
