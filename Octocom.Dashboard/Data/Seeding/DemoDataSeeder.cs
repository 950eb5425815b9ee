using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Metadata;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Data.Seeding;

/// <summary>
/// First-start demo data: two organizations (proving tenant isolation), four businesses, a few hundred realistic
/// conversations over web, email and Instagram with chat-widget metadata and browser sessions. Idempotent: it only
/// runs when the database has no organization. Feature-specific demo data comes from <see cref="IDemoDataContributor"/>s.
/// </summary>
public sealed class DemoDataSeeder(
    IServiceScopeFactory scopes,
    IOptions<DemoDataOptions> options,
    TimeProvider clock,
    ILogger<DemoDataSeeder> logger)
{
    private static readonly string[] UserAgents =
    [
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0",
    ];

    public async Task<bool> SeedIfEmptyAsync(CancellationToken ct = default)
    {
        var opts = options.Value;
        if (!opts.Enabled) return false;
        await using var scope = scopes.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<DashboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await db.Organizations.AnyAsync(ct)) return false;

        var random = new Random(opts.RandomSeed);
        var now = clock.GetUtcNow().UtcDateTime;
        var organizations = new List<DemoOrganization>
        {
            await CreateOrganizationAsync(db, "Octocom Demo", "demo", "demo.octocom.local",
                [("Trailhead Outfitters", "trailhead"), ("Bean & Leaf Coffee", "bean-and-leaf"), ("Nimbus Analytics", "nimbus")], ct),
            await CreateOrganizationAsync(db, "Globex Corporation", "globex", "globex.example", [("Globex Home", "globex-home")], ct),
        };

        var usedPublicIds = new HashSet<string>();
        var counts = new[] { opts.ConversationCount, Math.Max(opts.ConversationCount / 10, 5) };
        for (var i = 0; i < organizations.Count; i++)
        {
            var org = organizations[i];
            var customers = CreateCustomers(org.Organization.Id, random, Math.Max(counts[i] / 2, 10));
            db.Customers.AddRange(customers);
            for (var n = 0; n < counts[i]; n++)
            {
                var business = org.Businesses[random.Next(org.Businesses.Count)];
                db.Conversations.Add(CreateConversation(org.Organization.Id, business, customers, random, now, usedPublicIds));
            }
        }
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Seeded demo data: {Orgs} organizations, {Conversations} conversations",
            organizations.Count, counts.Sum());

        var context = new DemoSeedContext(scope.ServiceProvider, organizations, opts, random);
        foreach (var contributor in scope.ServiceProvider.GetServices<IDemoDataContributor>().OrderBy(c => c.Order))
            await contributor.ContributeAsync(context, ct);
        return true;
    }

    private static async Task<DemoOrganization> CreateOrganizationAsync(DashboardDbContext db, string name, string slug, string domain,
        (string Name, string Slug)[] businesses, CancellationToken ct)
    {
        var organization = new Organization { Name = name, Slug = slug };
        db.Organizations.Add(organization);
        await db.SaveChangesAsync(ct);
        var created = businesses.Select(b => new Business { OrganizationId = organization.Id, Name = b.Name, Slug = b.Slug }).ToList();
        db.Businesses.AddRange(created);
        await db.SaveChangesAsync(ct);
        return new DemoOrganization(organization, created, domain);
    }

    public static string KindOf(Business business) => business.Slug switch
    {
        "trailhead" => "outdoor",
        "bean-and-leaf" => "coffee",
        "nimbus" => "saas",
        _ => "home",
    };

    private static List<Customer> CreateCustomers(int organizationId, Random random, int count)
    {
        var customers = new List<Customer>();
        var emails = new HashSet<string>();
        for (var i = 0; i < count; i++)
        {
            var first = Pick(random, DemoScenarios.FirstNames);
            var last = Pick(random, DemoScenarios.LastNames);
            var email = $"{Ascii(first)}.{Ascii(last)}{(i > 20 ? i.ToString(CultureInfo.InvariantCulture) : "")}@example.com";
            if (!emails.Add(email)) continue;
            customers.Add(new Customer
            {
                Id = NewGuid(random),
                OrganizationId = organizationId,
                Email = email,
                Name = $"{first} {last}",
                Phone = random.Next(3) == 0 ? null : $"+1 555 {random.Next(100, 999)} {random.Next(1000, 9999)}",
                InstagramUsername = random.Next(4) == 0 ? $"{Ascii(first)}_{Ascii(last)}" : null,
            });
        }
        return customers;
    }

    private static Conversation CreateConversation(int organizationId, Business business, List<Customer> customers, Random random,
        DateTime now, HashSet<string> usedPublicIds)
    {
        var kind = KindOf(business);
        var scenario = kind == "saas" ? Pick(random, DemoScenarios.Saas) : Pick(random, DemoScenarios.Commerce);
        var channelRoll = random.NextDouble();
        var channel = channelRoll < 0.55 ? Channels.Web : channelRoll < 0.85 ? Channels.Email : Channels.Instagram;
        // Web visitors are often anonymous; email and Instagram senders are always known.
        var customer = channel == Channels.Web && random.NextDouble() < 0.3 ? null : Pick(random, customers);
        var first = customer?.Name?.Split(' ')[0] ?? "there";
        var product = Pick(random, DemoScenarios.Products[kind]);
        var store = Pick(random, DemoScenarios.Stores[kind]);
        var orderNumber = $"#{random.Next(10000, 99999)}";
        var agent = Pick(random, DemoScenarios.AgentNames);
        string Fill(string text) => text.Replace("{first}", first).Replace("{order}", orderNumber).Replace("{product}", product)
            .Replace("{store}", store).Replace("{business}", business.Name).Replace("{agent}", agent);

        string publicId;
        do publicId = PublicIdGenerator.Next(random); while (!usedPublicIds.Add(publicId));

        var started = now.AddMinutes(-random.Next(30, 60 * 24 * 45));
        var conversation = new Conversation
        {
            Id = NewGuid(random),
            OrganizationId = organizationId,
            BusinessId = business.Id,
            PublicId = publicId,
            Subject = Fill(scenario.Subject),
            CustomerId = customer?.Id,
            CreatedAt = started,
            InitialChannel = channel,
            LatestChannel = channel,
        };

        // Conversations that are still in progress stop after a random number of turns.
        var hasAgent = scenario.Turns.Any(t => t.Sender == 'a');
        var statusRoll = random.NextDouble();
        var status = hasAgent
            ? (statusRoll < 0.45 ? ConversationStatus.HandedOff : ConversationStatus.Closed)
            : (statusRoll < 0.5 ? ConversationStatus.Open : ConversationStatus.Closed);
        var turns = status == ConversationStatus.Open && scenario.Turns.Length > 2
            ? scenario.Turns[..random.Next(2, scenario.Turns.Length + 1)]
            : scenario.Turns;

        var at = started;
        var step = channel == Channels.Email ? TimeSpan.FromHours(3) : TimeSpan.FromMinutes(2);
        var handedOff = false;
        foreach (var (sender, text) in turns)
        {
            at += TimeSpan.FromSeconds(step.TotalSeconds * (0.3 + random.NextDouble()));
            if (sender == 'a' && !handedOff)
            {
                handedOff = true;
                conversation.HandedOffAt = at;
                conversation.Events.Add(TimelineEvent(conversation, "conversation_handed_off", "Conversation handed off by Octocom bot", "bot", at));
            }
            conversation.Messages.Add(new Message
            {
                OrganizationId = organizationId,
                ConversationId = conversation.Id,
                Sender = sender switch { 'c' => MessageSender.Customer, 'b' => MessageSender.Bot, _ => MessageSender.Agent },
                Content = Fill(text),
                Channel = channel,
                Timestamp = at,
                AuthorName = sender == 'a' ? agent : null,
            });
        }
        conversation.Status = status;
        conversation.MessageCount = conversation.Messages.Count;
        Conversations.Inbox.InboxTimes.FromMessages(conversation);
        conversation.LastMessagePreview = MessagePreview.From(conversation.Messages[^1].Content);
        conversation.LastActivityAt = at;
        if (status == ConversationStatus.Closed)
        {
            conversation.ClosedAt = at.AddMinutes(random.Next(1, 90));
            conversation.LastActivityAt = conversation.ClosedAt.Value;
            conversation.Events.Add(TimelineEvent(conversation, "conversation_closed",
                $"Conversation closed by {(hasAgent ? agent : "Octocom bot")}", hasAgent ? $"agent:{agent}" : "bot", conversation.ClosedAt.Value));
        }

        foreach (var tag in scenario.Tags.Where(_ => random.NextDouble() < 0.8))
            conversation.Tags.Add(new ConversationTag { OrganizationId = organizationId, ConversationId = conversation.Id, Name = tag, CreatedAt = at });

        var metadata = channel == Channels.Web
            ? ChatWidgetData(kind, customer, product, store, random)
            : new Dictionary<string, string> { ["source"] = channel == Channels.Email ? "support-inbox" : "instagram-dm" };
        if (random.NextDouble() < 0.15) metadata["priority"] = random.NextDouble() < 0.5 ? "high" : "normal";
        if (customer is not null && random.NextDouble() < 0.3) metadata["crm_id"] = $"CRM-{random.Next(100000, 999999)}";
        foreach (var (key, value) in metadata)
        {
            conversation.Metadata.Add(new ConversationMetadata
            {
                OrganizationId = organizationId,
                ConversationId = conversation.Id,
                Key = key,
                Value = value,
                NumericValue = MetadataService.ParseNumber(value),
                CreatedAt = started,
                UpdatedAt = started,
                Source = key.StartsWith(MetadataLimits.ChatWidgetPrefix, StringComparison.Ordinal) ? MetadataSources.ChatWidget : MetadataSources.Agent,
            });
        }

        if (channel == Channels.Web)
            conversation.BrowserSession = CreateBrowserSession(conversation, business, kind, product, random, started);
        return conversation;
    }

    /// <summary>What a website would have put in localStorage under octocom:data:*.</summary>
    public static Dictionary<string, string> ChatWidgetData(string kind, Customer? customer, string product, string store, Random random)
    {
        const string p = MetadataLimits.ChatWidgetPrefix;
        var data = new Dictionary<string, string>
        {
            [p + "locale"] = Pick(random, DemoScenarios.Locales),
            [p + "store_id"] = store,
        };
        if (random.NextDouble() < 0.75) data[p + "utm_source"] = Pick(random, DemoScenarios.UtmSources);
        if (random.NextDouble() < 0.3) data[p + "experiment"] = Pick(random, DemoScenarios.Experiments);
        if (customer is not null)
        {
            data[p + "user_id"] = random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture);
            data[p + "email"] = customer.Email!;
            data[p + "name"] = customer.Name!;
        }
        if (kind == "saas")
        {
            data[p + "plan"] = Pick(random, DemoScenarios.Plans);
            data[p + "app_version"] = $"2.{random.Next(10, 15)}.{random.Next(0, 9)}";
            data[p + "environment"] = random.NextDouble() < 0.85 ? "production" : "staging";
        }
        else
        {
            data[p + "plan"] = random.NextDouble() < 0.2 ? "member-plus" : "standard";
            data[p + "current_product"] = Slugify(product);
            var cart = Math.Round(random.NextDouble() < 0.2 ? 0 : Math.Exp(random.NextDouble() * 6.5), 2);
            data[p + "cart_value"] = cart.ToString("0.00", CultureInfo.InvariantCulture);
            data[p + "cart_items_count"] = (cart == 0 ? 0 : random.Next(1, 9)).ToString(CultureInfo.InvariantCulture);
            data[p + "loyalty_tier"] = Pick(random, DemoScenarios.LoyaltyTiers);
            if (customer is not null && random.NextDouble() < 0.7)
            {
                var orders = Enumerable.Range(0, random.Next(1, 4)).Select(i => new
                {
                    id = $"ORD-{random.Next(1000, 9999)}",
                    total = Math.Round(20 + random.NextDouble() * 300, 2),
                    date = DateTime.UtcNow.AddDays(-random.Next(3, 200)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                });
                data[p + "recent_orders"] = JsonSerializer.Serialize(orders);
            }
        }
        return data;
    }

    private static BrowserSession CreateBrowserSession(Conversation conversation, Business business, string kind, string product,
        Random random, DateTime started)
    {
        var host = $"https://www.{business.Slug}.example";
        var pages = new List<object>();
        var visitAt = started.AddMinutes(-random.Next(3, 40));
        string[] paths = kind == "saas"
            ? ["/", "/pricing", "/docs/getting-started", "/account/billing", "/status"]
            : ["/", $"/products/{Slugify(product)}", "/cart", "/shipping-policy", "/returns"];
        foreach (var path in paths.Take(random.Next(2, paths.Length + 1)))
        {
            pages.Add(new { url = host + path, title = $"{business.Name} – {path.Trim('/').Replace('-', ' ')}".TrimEnd(' ', '–'), visitedAt = visitAt.ToString("O") });
            visitAt = visitAt.AddSeconds(random.Next(20, 400));
        }
        return new BrowserSession
        {
            OrganizationId = conversation.OrganizationId,
            ConversationId = conversation.Id,
            UserAgent = Pick(random, UserAgents),
            Referrer = random.NextDouble() < 0.6 ? Pick(random, new[] { "https://www.google.com/", "https://l.instagram.com/", "https://news.example.com/weekly" }) : null,
            Language = Pick(random, DemoScenarios.Locales),
            PagesVisitedJson = JsonSerializer.Serialize(pages),
            StartedAt = started.AddMinutes(-random.Next(3, 40)),
            LastSeenAt = started,
        };
    }

    private static ConversationEvent TimelineEvent(Conversation c, string type, string description, string source, DateTime at) =>
        new() { OrganizationId = c.OrganizationId, ConversationId = c.Id, Type = type, Description = description, Source = source, CreatedAt = at };

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static Guid NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }


    private static string Slugify(string s) =>
        string.Join('-', Ascii(s).Split(' ', StringSplitOptions.RemoveEmptyEntries)).Replace("&", "and");

    private static string Ascii(string s)
    {
        var normalized = s.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder();
        foreach (var ch in normalized)
            if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark && ch != '\'') sb.Append(char.ToLowerInvariant(ch));
        return sb.ToString();
    }
}
