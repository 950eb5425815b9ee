using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data.Search;
using Octocom.Dashboard.Metadata;

namespace Octocom.Dashboard.Data.Seeding;

/// <summary>
/// Inserts large synthetic data sets (benchmarks: up to millions of conversations) in batched transactions through the
/// database dialect's bulk writer (<see cref="IDatabaseDialect.BulkInsertAsync"/>: SQLite prepared INSERTs,
/// PostgreSQL COPY); EF change tracking would take hours at that size. The rows are ordinary entities, written as EF
/// writes them, so EF reads them back normally.
/// </summary>
public sealed class BulkConversationSeeder(IServiceScopeFactory scopes, IDatabaseDialect dialect, IConversationSearchIndex searchIndex,
    ILogger<BulkConversationSeeder> logger)
{
    public const int BatchSize = 5_000;

    private static readonly string[] Keys =
        ["plan", "utm_source", "cart_value", "store_id", "locale", "loyalty_tier", "user_id", "cart_items_count", "experiment", "app_version",
         "current_product", "currency"];

    public sealed record Result(int Conversations, int MetadataRows, TimeSpan Elapsed);

    /// <param name="organizationSlug">Organization to fill (default: the first one).</param>
    public async Task<Result> SeedAsync(int conversations, int metadataPerConversation = 10, string? organizationSlug = null,
        int randomSeed = 42, CancellationToken ct = default)
    {
        metadataPerConversation = Math.Clamp(metadataPerConversation, 0, Keys.Length);
        var stopwatch = Stopwatch.StartNew();
        await using var scope = scopes.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<DashboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        var org = await db.Organizations.OrderBy(o => o.Id)
            .FirstOrDefaultAsync(o => organizationSlug == null || o.Slug == organizationSlug, ct)
            ?? throw new InvalidOperationException($"Organization '{organizationSlug}' does not exist; start the app once to create the demo data.");
        var businessIds = await db.Businesses.IgnoreQueryFilters().Where(b => b.OrganizationId == org.Id).Select(b => b.Id).ToListAsync(ct);
        if (businessIds.Count == 0) throw new InvalidOperationException("The organization has no business.");
        var existingIds = (await db.Conversations.IgnoreQueryFilters().Select(c => c.PublicId).ToListAsync(ct)).ToHashSet();

        // The inbox's full-text index is filled in one pass at the end (much faster than row by row through its triggers).
        await searchIndex.SuspendAsync(db, ct);
        var random = new Random(randomSeed);
        var now = DateTime.UtcNow;
        var metadataRows = 0;
        for (var done = 0; done < conversations; done += BatchSize)
        {
            var batch = new Batch();
            for (var i = 0; i < Math.Min(BatchSize, conversations - done); i++)
            {
                // The random draws keep their order (id, public ID, dates, channel, status, …): the same seed gives the same data.
                var n = done + i;
                var id = DemoDataSeeder.NewGuid(random);
                string publicId;
                do publicId = PublicIdGenerator.Next(random, conversations > 500_000 ? 8 : PublicIdGenerator.Length);
                while (!existingIds.Add(publicId));
                var conversation = new Conversation
                {
                    Id = id, OrganizationId = org.Id, PublicId = publicId, Subject = $"Synthetic conversation {n}",
                    MessageCount = 3, LastMessagePreview = "Thanks for your help!",
                };
                conversation.CreatedAt = now.AddSeconds(-random.Next(0, 60 * 60 * 24 * 365));
                conversation.InitialChannel = conversation.LatestChannel = Channels.All[random.Next(Channels.All.Length)];
                var statusRoll = random.Next(100);
                conversation.Status = statusRoll < 30 ? ConversationStatus.Open : statusRoll < 55 ? ConversationStatus.HandedOff : ConversationStatus.Closed;
                if (random.Next(10) < 6)
                {
                    var customer = new Customer
                    {
                        Id = DemoDataSeeder.NewGuid(random), OrganizationId = org.Id, Email = $"bulk.customer{n}.{randomSeed}@example.com",
                        Name = $"Customer {n}", CreatedAt = conversation.CreatedAt,
                    };
                    batch.Customers.Add(customer);
                    conversation.CustomerId = customer.Id;
                }
                conversation.LastActivityAt = conversation.CreatedAt.AddMinutes(random.Next(1, 600));
                conversation.BusinessId = businessIds[random.Next(businessIds.Count)];
                conversation.ClosedAt = conversation.Status == ConversationStatus.Closed ? conversation.LastActivityAt : null;
                conversation.HandedOffAt = conversation.Status == ConversationStatus.HandedOff ? conversation.CreatedAt.AddMinutes(2) : null;
                // Varied message text, so full-text search has realistic selectivity: an order number (about one match)
                // in the first message, a product (1 in 480 colour + item pairs) and a problem in the third.
                var third = $"{Problems[random.Next(Problems.Length)]} the {Colours[random.Next(Colours.Length)]} {Items[random.Next(Items.Length)]}. Thanks for your help!";
                conversation.LastMessagePreview = MessagePreview.From(third);
                conversation.LastCustomerMessageAt = conversation.LastActivityAt;
                conversation.WaitingSince = conversation.CreatedAt;
                batch.Conversations.Add(conversation);
                batch.Messages.Add(Message(conversation, MessageSender.Customer, $"Hi, I have a question about my order {OrderNumber(n)}.", conversation.CreatedAt));
                batch.Messages.Add(Message(conversation, MessageSender.Bot, "Happy to help! Could you share your order number?", conversation.CreatedAt.AddSeconds(5)));
                batch.Messages.Add(Message(conversation, MessageSender.Customer, third, conversation.LastActivityAt));
                for (var k = 0; k < metadataPerConversation; k++)
                {
                    var value = SyntheticValue(Keys[k], random);
                    batch.Metadata.Add(new ConversationMetadata
                    {
                        OrganizationId = org.Id, ConversationId = conversation.Id, Key = MetadataLimits.ChatWidgetPrefix + Keys[k], Value = value,
                        NumericValue = MetadataService.ParseNumber(value), CreatedAt = conversation.CreatedAt, UpdatedAt = conversation.CreatedAt,
                        Source = MetadataSources.ChatWidget,
                    });
                }
            }
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                // Parents first: the foreign keys are checked row by row.
                await dialect.BulkInsertAsync(db, batch.Customers, ct);
                await dialect.BulkInsertAsync(db, batch.Conversations, ct);
                await dialect.BulkInsertAsync(db, batch.Messages, ct);
                await dialect.BulkInsertAsync(db, batch.Metadata, ct);
                await tx.CommitAsync(ct);
            }
            metadataRows += batch.Metadata.Count;
            if ((done / BatchSize) % 20 == 0 && conversations > BatchSize)
                logger.LogInformation("Bulk seed: {Done:N0}/{Total:N0} conversations", done + batch.Conversations.Count, conversations);
        }
        await searchIndex.EnsureAsync(db, ct);
        await dialect.RefreshStatisticsAsync(db, everything: true, ct);
        return new Result(conversations, metadataRows, stopwatch.Elapsed);
    }

    public static readonly string[] Colours = ["red", "teal", "amber", "olive", "navy", "coral", "ivory", "plum", "slate", "mint", "rust", "sand"];
    public static readonly string[] Items =
        ["kayak", "backpack", "lantern", "hammock", "compass", "thermos", "poncho", "sleeping bag", "tent", "headlamp", "trekking pole", "canteen",
         "gaiters", "bivy", "stove", "kettle", "parka", "fleece", "beanie", "mittens", "snowshoes", "crampons", "harness", "carabiner",
         "rope", "chalk bag", "helmet", "paddle", "dry bag", "life vest", "wetsuit", "snorkel", "binoculars", "tripod", "cooler",
         "camp chair", "tarp", "duffel", "sunglasses", "water filter"];
    public static readonly string[] Problems =
        ["Where is", "I want to return", "Can I exchange", "I received a damaged version of", "Please cancel", "How do I wash",
         "Is there a warranty on", "The zipper broke on", "I was charged twice for", "Do you still stock"];

    /// <summary>A 7-digit order number that differs per conversation (a bijection of n below 9,000,000).</summary>
    public static string OrderNumber(int n) => (1_000_000 + (int)((n * 7_919L) % 9_000_000)).ToString(CultureInfo.InvariantCulture);

    private sealed class Batch
    {
        public List<Customer> Customers { get; } = [];
        public List<Conversation> Conversations { get; } = new(BatchSize);
        public List<Message> Messages { get; } = new(BatchSize * 3);
        public List<ConversationMetadata> Metadata { get; } = [];
    }

    private static Message Message(Conversation conversation, MessageSender sender, string content, DateTime at) => new()
    {
        OrganizationId = conversation.OrganizationId, ConversationId = conversation.Id, Sender = sender, Content = content,
        Channel = conversation.LatestChannel!, Timestamp = at,
    };

    private static string SyntheticValue(string key, Random random) => key switch
    {
        "plan" => DemoScenarios.Plans[random.Next(DemoScenarios.Plans.Length)],
        "utm_source" => DemoScenarios.UtmSources[random.Next(DemoScenarios.UtmSources.Length)],
        "cart_value" => Math.Round(Math.Exp(random.NextDouble() * 7), 2).ToString("0.00", CultureInfo.InvariantCulture),
        "store_id" => $"store-{random.Next(1, 41):D2}",
        "locale" => DemoScenarios.Locales[random.Next(DemoScenarios.Locales.Length)],
        "loyalty_tier" => DemoScenarios.LoyaltyTiers[random.Next(DemoScenarios.LoyaltyTiers.Length)],
        "user_id" => random.Next(1, 5_000_000).ToString(CultureInfo.InvariantCulture),
        "cart_items_count" => random.Next(0, 12).ToString(CultureInfo.InvariantCulture),
        "experiment" => DemoScenarios.Experiments[random.Next(DemoScenarios.Experiments.Length)],
        "app_version" => $"2.{random.Next(10, 15)}.{random.Next(0, 9)}",
        "current_product" => $"product-{random.Next(1, 500)}",
        _ => random.Next(2) == 0 ? "EUR" : "USD",
    };
}
