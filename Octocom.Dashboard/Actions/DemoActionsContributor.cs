using Octocom.Dashboard.Data.Seeding;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Functions;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Actions;

/// <summary>
/// A custom action and a condition provider per demo organization that work offline on the demo data: they read the
/// chat widget's metadata (<c>chat-widget:recent_orders</c>, <c>chat-widget:cart_value</c>). Created through
/// <see cref="FunctionService"/>, so they have version 1 and an audit entry like any admin-made function.
/// </summary>
public sealed class DemoActionsContributor(TenantScopes scopes) : IDemoDataContributor
{
    public const string OrderLookupName = "Order lookup";
    public const string HighValueCartName = "High-value cart";

    public int Order => 30;

    public static FunctionDraft OrderLookup => new()
    {
        Kind = FunctionKind.CustomAction,
        Name = OrderLookupName,
        Description = "Finds an order in the customer's recent orders (sent by the website's chat widget) and notes the lookup on the conversation.",
        Arguments = [new ArgumentDefinition("orderId", "string", "Order number, e.g. ORD-1234")],
        Code = """
            import json


            def execute_action(context):
                order_id = str(context["args"]["orderId"]).strip().upper()
                orders = json.loads(get_conversation_metadata(context, "chat-widget:recent_orders") or "[]")
                print(f"{len(orders)} recent order(s) on this conversation")
                for order in orders:
                    if order["id"].upper() == order_id:
                        set_conversation_metadata(context, "action:last_order_lookup", order_id)
                        add_conversation_event(context, {"type": "order_lookup", "description": f"Looked up {order_id}", "data": order})
                        return {"found": True, "order": order}
                return {"found": False, "orderId": order_id, "known": [o["id"] for o in orders]}
            """,
    };

    public static FunctionDraft HighValueCart => new()
    {
        Kind = FunctionKind.ConditionProvider,
        Name = HighValueCartName,
        Description = "True when the cart value the website reports is at least the threshold.",
        Arguments = [new ArgumentDefinition("threshold", "number", "Minimum cart value", Required: false)],
        Code = """
            def check_condition(context):
                threshold = float(context["args"].get("threshold", 200))
                value = get_conversation_metadata(context, "chat-widget:cart_value")
                if value is None:
                    print("no cart_value from the chat widget")
                    return False
                return float(value) >= threshold
            """,
    };

    public async Task ContributeAsync(DemoSeedContext context, CancellationToken ct)
    {
        foreach (var org in context.Organizations)
        {
            await using var scope = scopes.Create(org.Organization.Id, actor: "demo data");
            var functions = scope.ServiceProvider.GetRequiredService<FunctionService>();
            foreach (var draft in new[] { OrderLookup, HighValueCart })
            {
                var result = await functions.CreateAsync(draft, ct);
                if (!result.Succeeded)
                    throw new InvalidOperationException($"Demo function '{draft.Name}' was not created: {string.Join("; ", result.Errors.Select(e => e.ErrorMessage))}");
            }
        }
    }
}
