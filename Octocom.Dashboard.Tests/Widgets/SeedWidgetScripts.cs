namespace Octocom.Dashboard.Tests.Widgets;

/// <summary>
/// The four example widgets of seed 002, verbatim except for the API address: <c>https://api.example.com</c> becomes
/// the test's <see cref="FakeCustomerApi"/>. (ERP links in the results stay as the seed wrote them.)
/// </summary>
public static class SeedWidgetScripts
{
    public static string Crm(string apiBaseUrl) => At(CrmCode, apiBaseUrl);

    public static string Wholesale(string apiBaseUrl) => At(WholesaleCode, apiBaseUrl);

    public static string Warranties(string apiBaseUrl) => At(WarrantiesCode, apiBaseUrl);

    public static string Subscriptions(string apiBaseUrl) => At(SubscriptionsCode, apiBaseUrl);

    private static string At(string code, string apiBaseUrl) => code.Replace("https://api.example.com", apiBaseUrl);

    private const string CrmCode = """
        import requests

        def get_sidebar_data(context):
            customer = context["customer"]

            if not customer or not customer.get("email"):
                return {"title": "CRM", "items": []}

            response = requests.get(
                "https://api.example.com/customers",
                params={"email": customer["email"]},
                headers={"Authorization": "Bearer API_KEY"},
                timeout=30,
            )

            if response.status_code != 200:
                return {"title": "CRM", "items": []}

            account = response.json()

            return {
                "title": "CRM",
                "items": [
                    {
                        "title": account["name"],
                        "subtitle": account["email"],
                        "badge": {
                            "text": account["tier"],
                            "color": "green" if account["tier"] == "Premium" else "gray",
                        },
                        "sections": [
                            {
                                "title": "Account details",
                                "fields": {
                                    "Account ID": account["id"],
                                    "Tier": account["tier"],
                                    "Lifetime value": f"${account['ltv']}",
                                    "Member since": account["createdAt"],
                                },
                            },
                        ],
                    },
                ],
            }
        """;

    private const string WholesaleCode = """
        import requests

        def get_sidebar_data(context):
            customer = context["customer"]

            if not customer or not customer.get("email"):
                return {"title": "Wholesale", "items": []}

            response = requests.get(
                "https://api.example.com/wholesale/accounts",
                params={"email": customer["email"]},
                headers={"Authorization": "Bearer API_KEY"},
                timeout=30,
            )

            if response.status_code != 200:
                return {"title": "Wholesale", "items": []}

            account = response.json()

            return {
                "title": "Wholesale",
                "items": [
                    {
                        "title": account["companyName"],
                        "badge": {
                            "text": account["status"],
                            "color": "green" if account["status"] == "Active" else "red",
                        },
                        "actions": [
                            {"label": "View in ERP", "link": f"https://erp.example.com/accounts/{account['id']}"},
                        ],
                        "sections": [
                            {
                                "title": "Account",
                                "fields": {
                                    "Pricing tier": account["pricingTier"],
                                    "Credit limit": f"${account['creditLimit']}",
                                    "Outstanding balance": f"${account['balance']}",
                                    "Payment terms": account["paymentTerms"],
                                },
                            },
                            {
                                "title": "Contact",
                                "fields": {
                                    "Account manager": account.get("accountManager", "—"),
                                    "Phone": account.get("phone", "—"),
                                },
                            },
                        ],
                    },
                ],
            }
        """;

    private const string WarrantiesCode = """
        import requests

        def get_sidebar_data(context):
            customer = context["customer"]

            if not customer or not customer.get("email"):
                return {"title": "Warranties", "items": []}

            response = requests.get(
                "https://api.example.com/warranties",
                params={"email": customer["email"]},
                headers={"Authorization": "Bearer API_KEY"},
                timeout=30,
            )

            if response.status_code != 200:
                return {"title": "Warranties", "items": []}

            warranties = response.json()

            items = []
            for w in warranties[:5]:
                items.append({
                    "title": w["productName"],
                    "subtitle": f"Purchased {w['purchaseDate']}",
                    "badge": {
                        "text": "Active" if w["isActive"] else "Expired",
                        "color": "green" if w["isActive"] else "gray",
                    },
                    "sections": [
                        {
                            "title": "Warranty details",
                            "fields": {
                                "Type": w["warrantyType"],
                                "Expires": w["expiresAt"],
                                "Serial number": w.get("serialNumber", "—"),
                            },
                        },
                    ],
                })

            return {"title": "Warranties", "items": items}
        """;

    private const string SubscriptionsCode = """
        import requests

        def get_sidebar_data(context):
            customer = context["customer"]

            if not customer or not customer.get("email"):
                return {"title": "Subscriptions", "items": []}

            response = requests.get(
                "https://api.example.com/subscriptions",
                params={"email": customer["email"]},
                timeout=30,
            )

            if response.status_code != 200:
                return {"title": "Subscriptions", "items": []}

            subs = response.json()

            items = []
            for sub in subs:
                items.append({
                    "title": sub["planName"],
                    "badge": {
                        "text": sub["status"].capitalize(),
                        "color": "green" if sub["status"] == "active" else "yellow",
                    },
                    "sections": [
                        {
                            "title": "Plan",
                            "fields": {
                                "Price": f"${sub['price']}/mo",
                                "Next billing": sub["nextBillingDate"],
                                "Started": sub["startDate"],
                            },
                        },
                        {
                            "title": "Usage",
                            "collapsible": True,
                            "fields": {
                                "API calls": f"{sub['usage']['apiCalls']} / {sub['usage']['limit']}",
                                "Storage": sub['usage']['storage'],
                            },
                        },
                    ],
                })

            return {"title": "Subscriptions", "items": items}
        """;
}
