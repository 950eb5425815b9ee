namespace Octocom.Dashboard.Data.Seeding;

/// <summary>A plausible support conversation; placeholders {first}, {order}, {product}, {store}, {business} are filled per use.</summary>
public sealed record DemoScenario(string Subject, string[] Tags, (char Sender, string Text)[] Turns);

/// <summary>Canned conversations and the vocabulary of the demo businesses. 'c' = customer, 'b' = bot, 'a' = agent.</summary>
public static class DemoScenarios
{
    public static readonly string[] FirstNames =
        ["Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Mia", "Ethan", "Sofia", "Mateo", "Chloe", "Leon", "Hannah", "Jonas",
         "Camille", "Hugo", "Aisha", "Ravi", "Yuki", "Kenji", "Priya", "Omar", "Freya", "Oscar", "Isla", "Felix", "Zara", "Nina"];

    public static readonly string[] LastNames =
        ["Johnson", "Müller", "Martin", "Smith", "Garcia", "Dubois", "Schmidt", "Brown", "Rossi", "Nakamura", "Patel", "Khan",
         "Larsen", "Novak", "Silva", "Kowalski", "O'Brien", "Fischer", "Bernard", "Tanaka"];

    public static readonly string[] AgentNames = ["Jordan Lee", "Sam Rivera", "Alex Chen", "Taylor Brooks"];

    public static readonly string[] UtmSources = ["google", "newsletter", "instagram", "facebook", "tiktok", "partner-blog", "bing"];
    public static readonly string[] Plans = ["free", "starter", "pro", "enterprise"];
    public static readonly string[] Locales = ["en-US", "en-GB", "de-DE", "fr-FR", "es-ES"];
    public static readonly string[] LoyaltyTiers = ["bronze", "silver", "gold", "platinum"];
    public static readonly string[] Experiments = ["checkout-v2", "control", "free-shipping-banner"];

    public static readonly Dictionary<string, string[]> Products = new()
    {
        ["outdoor"] = ["Summit 45L Backpack", "Ridge Trail Running Shoes", "Alpine Down Jacket", "TrekLite Tent 2P", "Glacier Water Filter", "Basecamp Sleeping Bag"],
        ["coffee"] = ["Ethiopia Yirgacheffe 1kg", "House Espresso Blend", "Colombia Huila 500g", "Cold Brew Kit", "Burr Grinder Pro", "Decaf Swiss Water 250g"],
        ["saas"] = ["Pro plan", "Team plan", "Enterprise plan", "Dashboards add-on", "API access add-on"],
        ["home"] = ["Oak Dining Table", "Linen Sofa", "Ceramic Lamp", "Wool Rug 160x230", "Bookshelf Tall"],
    };

    public static readonly Dictionary<string, string[]> Stores = new()
    {
        ["outdoor"] = ["store-denver-flagship", "store-seattle-pier", "store-chicago-downtown", "online"],
        ["coffee"] = ["roastery-portland", "cafe-brooklyn", "online"],
        ["saas"] = ["us-east-1", "eu-west-1"],
        ["home"] = ["store-springfield", "store-shelbyville", "online"],
    };

    public static readonly DemoScenario[] Commerce =
    [
        new("Where is my order {order}?", ["shipping"],
        [
            ('c', "Hi! I ordered the **{product}** last week (order {order}) and the tracking hasn't moved in 4 days."),
            ('b', "Thanks {first}! I found order {order}. It left our warehouse on Monday with UPS. Carriers sometimes pause scans between hubs — let me check the latest status."),
            ('b', "The carrier shows it at the regional hub. Estimated delivery is **Thursday**. You can follow it here: https://www.ups.com/track"),
            ('c', "Thursday is too late, I need it for a trip on Wednesday. Can someone help?"),
            ('a', "Hi {first}, this is {agent} from {business}. I've asked the carrier to prioritise the parcel and upgraded it to express at no charge. You should have it Tuesday."),
            ('c', "Amazing, thank you so much!"),
        ]),
        new("Return request for {product}", ["returns"],
        [
            ('c', "I'd like to return the {product}. It's a size too small."),
            ('b', "No problem! Items can be returned within 30 days in original condition. Would you like an exchange for a bigger size or a refund?"),
            ('c', "Exchange please, one size up."),
            ('b', "Done — I've created return label RMA-{order}. Drop the parcel at any post office; we'll ship the new size as soon as it's scanned."),
        ]),
        new("Damaged item received", ["damaged", "priority"],
        [
            ('c', "My {product} arrived with a torn seam 😞 Order {order}."),
            ('b', "I'm sorry to hear that! Could you send a photo of the damage? It helps us file the claim with the manufacturer."),
            ('c', "Sent it by email just now."),
            ('b', "Thanks — I'm handing this over to a teammate who can approve a replacement right away."),
            ('a', "Hi {first}, {agent} here. I've approved a free replacement; it ships today. No need to return the damaged one."),
        ]),
        new("Warranty question: {product}", ["warranty"],
        [
            ('c', "Does the {product} have a warranty? The zipper broke after 8 months."),
            ('b', "Yes! All our gear has a 2-year warranty against manufacturing defects. I can start a warranty claim for order {order}."),
            ('c', "Please do."),
            ('a', "Claim WC-{order} is open. We'll repair it for free — I've emailed you a prepaid label."),
        ]),
        new("Discount code not working", ["billing", "checkout"],
        [
            ('c', "The code SPRING20 says it's invalid at checkout."),
            ('b', "SPRING20 ended on Sunday, sorry! Right now you can use **WELCOME10** for 10% off your first order."),
            ('c', "I'm not a new customer though. My cart is over $400 and the code expired an hour ago..."),
            ('a', "Hi {first}! Since you're a loyal customer I've applied 20% to your cart manually. Just refresh the checkout page."),
        ]),
        new("Change delivery address for {order}", ["shipping"],
        [
            ('c', "Can I change the delivery address for order {order}? I'm moving."),
            ('b', "The order hasn't shipped yet, so yes. Please share the new address and I'll update it."),
            ('c', "12 Harbour Street, Apt 4B, Seattle WA 98101"),
            ('b', "Updated! Your confirmation email will show the new address within a few minutes."),
        ]),
        new("Product question: {product}", ["pre-sales"],
        [
            ('c', "Is the {product} in stock at {store}?"),
            ('b', "Let me check live inventory… {store} has **3 units** available. Would you like to reserve one for pickup?"),
            ('c', "Yes, reserve one please."),
            ('b', "Reserved under your name for 48 hours. Bring your order confirmation to the counter."),
        ]),
        new("Subscription skip next delivery", ["subscription"],
        [
            ('c', "I'm travelling next month, can I skip my next {product} delivery?"),
            ('b', "Of course! I've skipped the delivery scheduled for the 1st. Your subscription resumes the month after."),
            ('c', "Perfect, thanks."),
        ]),
    ];

    public static readonly DemoScenario[] Saas =
    [
        new("Can't log in after password reset", ["login"],
        [
            ('c', "I reset my password but still get \"invalid credentials\"."),
            ('b', "Sorry about that! Password resets can take a minute to sync across regions. Could you try again in a private window?"),
            ('c', "Tried, same error. We have a board meeting in an hour and I need the dashboard."),
            ('b', "I'm getting a human to look at your account right away."),
            ('a', "Hi {first}, {agent} here. Your account was locked after 5 attempts; I've unlocked it. Please try now."),
            ('c', "It works! Thanks."),
        ]),
        new("Upgrade to {product}", ["billing", "upgrade"],
        [
            ('c', "We want to move from Starter to the {product}. Is billing prorated?"),
            ('b', "Yes — upgrades are prorated to the day. You'll see the difference on your next invoice."),
            ('c', "Great, and can we pay by invoice instead of card?"),
            ('a', "Invoice billing is available on annual Team and Enterprise plans. I've sent you a quote by email, {first}."),
        ]),
        new("API returns 429 Too Many Requests", ["api", "bug"],
        [
            ('c', "Our integration gets `429 Too Many Requests` since this morning. Nothing changed on our side."),
            ('b', "The API allows 100 requests per minute on your plan. Are you running a backfill job?"),
            ('c', "We are syncing historical data, yes. Can the limit be raised temporarily?"),
            ('a', "I've raised your limit to 500/min for 72 hours. Remember to add exponential backoff — see https://docs.nimbus.example/rate-limits"),
        ]),
        new("Invoice copy for March", ["billing"],
        [
            ('c', "Could you send me a PDF copy of our March invoice with our VAT number on it?"),
            ('b', "Sure! Invoices can be downloaded under *Settings → Billing*. I've also emailed you the March invoice with VAT ID added."),
        ]),
        new("Feature request: export to Excel", ["feature-request"],
        [
            ('c', "Is there a way to export a dashboard to Excel?"),
            ('b', "Dashboards export to CSV today (⋯ menu → *Export*). Excel-native export is on our roadmap; I've added your vote."),
            ('c', "CSV works for now, thanks!"),
        ]),
        new("Cancel subscription", ["churn-risk"],
        [
            ('c', "How do I cancel our subscription? It's too expensive for our team size."),
            ('b', "I'm sorry to hear that. Before you go — the Starter plan costs 60% less and keeps your dashboards. Would that help?"),
            ('c', "Maybe. Can someone walk me through the difference?"),
            ('b', "Let me connect you with an account manager."),
        ]),
    ];
}
