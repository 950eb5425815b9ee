using Octocom.Dashboard.Data;
using Octocom.Dashboard.Data.Seeding;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Widgets;

/// <summary>
/// Three sidebar widgets per demo organization that work offline (they read the context and the chat-widget
/// metadata the demo seeder writes, and call no API), so a new user sees cards on the first conversation they open.
/// They follow seed 002's advice: handle a missing customer, return an empty list when there is nothing to show,
/// never raise.
/// </summary>
public sealed class DemoWidgetsContributor(TenantScopes scopes) : IDemoDataContributor
{
    public int Order => 20;

    public static readonly IReadOnlyList<(string Name, string Description, string Code)> Widgets =
    [
        ("Customer profile", "Plan, loyalty tier and cart from the website's chat-widget data.", CustomerProfile),
        ("Orders", "Recent orders the website passed in chat-widget:recent_orders.", Orders),
        ("CRM", "The customer's contact details with links into the CRM.", Crm),
    ];

    public async Task ContributeAsync(DemoSeedContext context, CancellationToken ct)
    {
        foreach (var org in context.Organizations)
        {
            await using var scope = scopes.Create(org.Organization.Id, actor: "demo data");
            await using var db = await scope.ServiceProvider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<DashboardDbContext>>()
                .CreateDbContextAsync(ct);
            var functions = Widgets.Select((w, i) => new PythonFunction
            {
                Kind = FunctionKind.SidebarWidget,
                Name = w.Name,
                Description = w.Description,
                Code = w.Code,
                SortOrder = (i + 1) * 10,
                UpdatedBy = "demo data",
            }).ToList();
            db.PythonFunctions.AddRange(functions);
            await db.SaveChangesAsync(ct);
            db.PythonFunctionVersions.AddRange(functions.Select(f => new PythonFunctionVersion
            {
                FunctionId = f.Id, Version = f.Version, Name = f.Name, Code = f.Code, CreatedBy = "demo data",
            }));
            await db.SaveChangesAsync(ct);
        }
    }

    public const string CustomerProfile = """
        # Shows what the website told the chat widget about the visitor (localStorage octocom:data:* becomes
        # conversation metadata "chat-widget:*"). Works for known and anonymous visitors alike.

        TIER_COLORS = {"platinum": "blue", "gold": "yellow", "silver": "gray", "bronze": "gray"}
        PLAN_COLORS = {"enterprise": "blue", "pro": "green", "member-plus": "green", "starter": "gray", "free": "gray", "standard": "gray"}


        def data(context, key):
            return get_conversation_metadata(context, "chat-widget:" + key)


        def money(value):
            try:
                return f"${float(value):,.2f}"
            except (TypeError, ValueError):
                return None


        def get_sidebar_data(context):
            customer = context["customer"] or {}
            plan = data(context, "plan")
            if not plan and not customer:
                return {"title": "Customer profile", "items": []}

            item = {
                "title": customer.get("name") or customer.get("email") or "Anonymous visitor",
                "subtitle": customer.get("email") or "Not signed in on the website",
                "sections": [],
            }
            tier = data(context, "loyalty_tier")
            app_version = data(context, "app_version")
            if tier in TIER_COLORS:
                item["badge"] = {"text": tier.title() + " member", "color": TIER_COLORS[tier]}
            elif plan:
                item["badge"] = {"text": plan.replace("-", " ").title() + " plan", "color": PLAN_COLORS.get(plan, "gray")}

            cart = money(data(context, "cart_value"))
            shopping = {}
            if plan:
                shopping["Plan"] = plan.replace("-", " ").title()
            if tier:
                shopping["Loyalty tier"] = tier.title()
            if cart is not None:
                shopping["Cart value"] = cart
                shopping["Items in cart"] = data(context, "cart_items_count") or "0"
            if data(context, "current_product"):
                shopping["Looking at"] = data(context, "current_product").replace("-", " ")
            if shopping:
                item["sections"].append({"title": "Account" if app_version else "Shopping", "fields": shopping})

            if app_version:
                item["sections"].append({"title": "Product", "fields": {
                    "App version": app_version,
                    "Environment": data(context, "environment") or "—",
                }})

            visit = {
                "Store": data(context, "store_id"),
                "Locale": data(context, "locale"),
                "Came from": data(context, "utm_source"),
                "Experiment": data(context, "experiment"),
            }
            visit = {k: v for k, v in visit.items() if v}
            if visit:
                item["sections"].append({"title": "Visit", "collapsible": True, "fields": visit})

            items = [item]
            cart_value = data(context, "cart_value")
            try:
                if cart_value and float(cart_value) >= 250:
                    items.append({
                        "title": "High-value cart",
                        "subtitle": f"{cart} waiting at checkout",
                        "badge": {"text": "Follow up", "color": "red"},
                        "collapsible": False,
                        "sections": [],
                    })
            except ValueError:
                pass
            return {"title": "Customer profile", "items": items}
        """;

    public const string Orders = """
        # Recent orders the website passed to the chat widget as JSON:
        #   localStorage["octocom:data:recent_orders"] = '[{"id": "ORD-1234", "total": 89.5, "date": "2026-10-02"}]'
        import json
        from datetime import date


        def get_sidebar_data(context):
            raw = get_conversation_metadata(context, "chat-widget:recent_orders")
            if not raw:
                return {"title": "Orders", "items": []}
            try:
                orders = json.loads(raw)
            except ValueError:
                return {"title": "Orders", "items": []}
            if not isinstance(orders, list):
                return {"title": "Orders", "items": []}

            shop = "https://www." + context["business"]["slug"] + ".example"
            items = []
            for order in sorted(orders, key=lambda o: str(o.get("date", "")), reverse=True)[:5]:
                if not isinstance(order, dict) or not order.get("id"):
                    continue
                try:
                    age = (date.today() - date.fromisoformat(str(order.get("date")))).days
                except ValueError:
                    age = None
                if age is None:
                    badge = {"text": "Unknown", "color": "gray"}
                elif age <= 14:
                    badge = {"text": "In transit", "color": "blue"}
                elif age <= 60:
                    badge = {"text": "Delivered", "color": "green"}
                else:
                    badge = {"text": "Archived", "color": "gray"}
                total = order.get("total")
                items.append({
                    "title": f"Order {order['id']}",
                    "subtitle": f"Placed {order.get('date', 'on an unknown date')}",
                    "link": f"{shop}/admin/orders/{order['id']}",
                    "badge": badge,
                    "actions": [
                        {"label": "Track parcel", "link": f"{shop}/track/{order['id']}"},
                        {"label": "Start a return", "link": f"{shop}/returns/new?order={order['id']}"},
                    ],
                    "sections": [{
                        "title": "Order",
                        "fields": {
                            "Total": f"${total:,.2f}" if isinstance(total, (int, float)) else "—",
                            "Placed": order.get("date", "—"),
                            "Days ago": age if age is not None else "—",
                        },
                    }],
                })
            return {"title": "Orders", "items": items}
        """;

    public const string Crm = """
        # The customer as the CRM knows them. A real widget would call the CRM's API with
        # requests.get(..., headers={"Authorization": "Bearer " + get_secret("CRM_API_KEY")}, timeout=30);
        # this demo builds the card from the conversation alone so it works offline.
        from urllib.parse import quote


        def get_sidebar_data(context):
            customer = context["customer"]
            if not customer or not customer.get("email"):
                return {"title": "CRM", "items": []}

            crm_id = get_conversation_metadata(context, "crm_id")
            conversation = context["conversation"]
            messages = conversation["messages"]
            customer_messages = [m for m in messages if m["sender"] == "customer"]
            link = ("https://crm.example.com/customers/" + quote(crm_id)) if crm_id \
                else "https://crm.example.com/search?email=" + quote(customer["email"])

            return {
                "title": "CRM",
                "items": [{
                    "title": customer.get("name") or customer["email"],
                    "subtitle": customer["email"],
                    "link": link,
                    "badge": {"text": "Linked" if crm_id else "Not in CRM", "color": "green" if crm_id else "gray"},
                    "actions": [
                        {"label": "Open in CRM" if crm_id else "Find in CRM", "link": link},
                        {"label": "Email customer", "link": "mailto:" + customer["email"]},
                    ],
                    "collapsible": False,
                    "sections": [
                        {"title": "Contact", "fields": {
                            "CRM ID": crm_id or "—",
                            "Phone": customer.get("phone") or "—",
                            "Instagram": ("@" + customer["instagramUsername"]) if customer.get("instagramUsername") else "—",
                        }},
                        {"title": "This conversation", "collapsible": True, "fields": {
                            "Channel": conversation.get("latestChannel") or "—",
                            "Messages": len(messages),
                            "From the customer": len(customer_messages),
                            "Started": messages[0]["timestamp"][:10] if messages else "—",
                        }},
                    ],
                }],
            }
        """;
}
