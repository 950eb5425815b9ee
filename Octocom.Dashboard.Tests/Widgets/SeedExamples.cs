using System.Text.Json.Nodes;

namespace Octocom.Dashboard.Tests.Widgets;

/// <summary>
/// What the four example widgets of seed 002 (CRM, wholesale, warranties, subscriptions) return for a sample
/// customer — built exactly as their Python builds it. Every one must validate cleanly.
/// </summary>
public static class SeedExamples
{
    public static JsonNode Crm() => JsonNode.Parse("""
        {
          "title": "CRM",
          "items": [
            {
              "title": "Jane Doe",
              "subtitle": "jane@example.com",
              "badge": {"text": "Premium", "color": "green"},
              "sections": [
                {
                  "title": "Account details",
                  "fields": {
                    "Account ID": "ACC-1042",
                    "Tier": "Premium",
                    "Lifetime value": "$1234.5",
                    "Member since": "2021-03-14"
                  }
                }
              ]
            }
          ]
        }
        """)!;

    public static JsonNode Wholesale() => JsonNode.Parse("""
        {
          "title": "Wholesale",
          "items": [
            {
              "title": "Trailhead Outfitters LLC",
              "badge": {"text": "Active", "color": "green"},
              "actions": [
                {"label": "View in ERP", "link": "https://erp.example.com/accounts/W-77"}
              ],
              "sections": [
                {
                  "title": "Account",
                  "fields": {
                    "Pricing tier": "Gold",
                    "Credit limit": "$50000",
                    "Outstanding balance": "$12500.75",
                    "Payment terms": "Net 30"
                  }
                },
                {
                  "title": "Contact",
                  "fields": {
                    "Account manager": "Sam Rivera",
                    "Phone": "—"
                  }
                }
              ]
            }
          ]
        }
        """)!;

    public static JsonNode Warranties() => JsonNode.Parse("""
        {
          "title": "Warranties",
          "items": [
            {
              "title": "Summit 45L Backpack",
              "subtitle": "Purchased 2025-06-02",
              "badge": {"text": "Active", "color": "green"},
              "sections": [
                {"title": "Warranty details", "fields": {"Type": "Lifetime", "Expires": "—", "Serial number": "SB45-99812"}}
              ]
            },
            {
              "title": "Trail Runner Headlamp",
              "subtitle": "Purchased 2022-11-20",
              "badge": {"text": "Expired", "color": "gray"},
              "sections": [
                {"title": "Warranty details", "fields": {"Type": "2-year limited", "Expires": "2024-11-20", "Serial number": "—"}}
              ]
            }
          ]
        }
        """)!;

    public static JsonNode Subscriptions() => JsonNode.Parse("""
        {
          "title": "Subscriptions",
          "items": [
            {
              "title": "Pro",
              "badge": {"text": "Active", "color": "green"},
              "sections": [
                {"title": "Plan", "fields": {"Price": "$49/mo", "Next billing": "2026-12-01", "Started": "2024-12-01"}},
                {"title": "Usage", "collapsible": true, "fields": {"API calls": "8200 / 10000", "Storage": "3.2 GB"}}
              ]
            },
            {
              "title": "Add-on: Analytics",
              "badge": {"text": "Past_due", "color": "yellow"},
              "sections": [
                {"title": "Plan", "fields": {"Price": "$9/mo", "Next billing": "2026-12-01", "Started": "2025-01-15"}},
                {"title": "Usage", "collapsible": true, "fields": {"API calls": "120 / 1000", "Storage": "0.1 GB"}}
              ]
            }
          ]
        }
        """)!;

    /// <summary>The "nothing to show" answer every example gives when the customer is unknown or the API fails.</summary>
    public static JsonNode Empty(string title = "CRM") => new JsonObject { ["title"] = title, ["items"] = new JsonArray() };

    public static TheoryData<string> Names => new() { "crm", "wholesale", "warranties", "subscriptions" };

    public static JsonNode ByName(string name) => name switch
    {
        "crm" => Crm(),
        "wholesale" => Wholesale(),
        "warranties" => Warranties(),
        "subscriptions" => Subscriptions(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
