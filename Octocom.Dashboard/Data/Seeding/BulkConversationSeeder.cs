using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data.Search;
using Octocom.Dashboard.Metadata;

namespace Octocom.Dashboard.Data.Seeding;

/// <summary>
/// Inserts large synthetic data sets (benchmarks: up to millions of conversations) with prepared ADO.NET commands in
/// batched transactions; EF change tracking would take hours at that size. Values are bound the way EF stores them
/// (GUIDs as upper-case text, enums as their wire names), so EF reads the rows back normally.
/// </summary>
public sealed class BulkConversationSeeder(IServiceScopeFactory scopes, ILogger<BulkConversationSeeder> logger)
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

        // The full-text index is filled in one pass at the end (much faster than row by row through its triggers).
        await SqliteConversationSearchIndex.SuspendAsync(db, ct);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await using (var cache = connection.CreateCommand())
        {
            // Random GUID keys insert all over the indexes: a 256 MB page cache (default 2 MB) keeps them in memory.
            cache.CommandText = "PRAGMA cache_size = -262144;";
            await cache.ExecuteNonQueryAsync(ct);
        }
        var random = new Random(randomSeed);
        var now = DateTime.UtcNow;
        var metadataRows = 0;
        for (var done = 0; done < conversations; done += BatchSize)
        {
            var batch = Math.Min(BatchSize, conversations - done);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var insertCustomer = Prepare(connection, tx,
                "INSERT INTO Customers (Id, OrganizationId, Email, Name, Phone, InstagramUsername, CreatedAt) VALUES ($id, $org, $email, $name, NULL, NULL, $at)",
                "$id", "$org", "$email", "$name", "$at");
            var insertConversation = Prepare(connection, tx,
                """
                INSERT INTO Conversations (Id, OrganizationId, BusinessId, PublicId, Subject, Status, InitialChannel, LatestChannel, CustomerId,
                  CreatedAt, LastActivityAt, ClosedAt, HandedOffAt, MessageCount, LastMessagePreview, ChatTokenHash, LastCustomerMessageAt, WaitingSince)
                VALUES ($id, $org, $biz, $pid, $subject, $status, $channel, $channel, $customer, $created, $last, $closed, $handed, 3, $preview, NULL, $last, $created)
                """,
                "$id", "$org", "$biz", "$pid", "$subject", "$status", "$channel", "$customer", "$created", "$last", "$closed", "$handed", "$preview");
            var insertMessage = Prepare(connection, tx,
                "INSERT INTO Messages (OrganizationId, ConversationId, Sender, Content, Channel, Timestamp, AuthorName) VALUES ($org, $conv, $sender, $content, $channel, $at, NULL)",
                "$org", "$conv", "$sender", "$content", "$channel", "$at");
            var insertMetadata = Prepare(connection, tx,
                """
                INSERT INTO ConversationMetadata (OrganizationId, ConversationId, Key, Value, NumericValue, CreatedAt, UpdatedAt, Source)
                VALUES ($org, $conv, $key, $value, $num, $at, $at, 'chat-widget')
                """,
                "$org", "$conv", "$key", "$value", "$num", "$at");

            for (var i = 0; i < batch; i++)
            {
                var n = done + i;
                var id = Text(DemoDataSeeder.NewGuid(random));
                string publicId;
                do publicId = PublicIdGenerator.Next(random, conversations > 500_000 ? 8 : PublicIdGenerator.Length);
                while (!existingIds.Add(publicId));
                var created = now.AddSeconds(-random.Next(0, 60 * 60 * 24 * 365));
                var channel = Channels.All[random.Next(Channels.All.Length)];
                var statusRoll = random.Next(100);
                var status = statusRoll < 30 ? ConversationStatus.Open : statusRoll < 55 ? ConversationStatus.HandedOff : ConversationStatus.Closed;
                string? customerId = null;
                if (random.Next(10) < 6)
                {
                    customerId = Text(DemoDataSeeder.NewGuid(random));
                    Run(insertCustomer, customerId, org.Id, $"bulk.customer{n}.{randomSeed}@example.com", $"Customer {n}", created);
                }
                var last = created.AddMinutes(random.Next(1, 600));
                // Varied message text, so full-text search has realistic selectivity: an order number (about one match)
                // in the first message, a product (1 in 480 colour + item pairs) and a problem in the third.
                var third = $"{Problems[random.Next(Problems.Length)]} the {Colours[random.Next(Colours.Length)]} {Items[random.Next(Items.Length)]}. Thanks for your help!";
                Run(insertConversation, id, org.Id, businessIds[random.Next(businessIds.Count)], publicId, $"Synthetic conversation {n}",
                    status.ToWire(), channel, (object?)customerId, created, last,
                    status == ConversationStatus.Closed ? last : null, status == ConversationStatus.HandedOff ? created.AddMinutes(2) : null,
                    MessagePreview.From(third));
                Run(insertMessage, org.Id, id, "customer", $"Hi, I have a question about my order {OrderNumber(n)}.", channel, created);
                Run(insertMessage, org.Id, id, "bot", "Happy to help! Could you share your order number?", channel, created.AddSeconds(5));
                Run(insertMessage, org.Id, id, "customer", third, channel, last);
                for (var k = 0; k < metadataPerConversation; k++)
                {
                    var value = SyntheticValue(Keys[k], random);
                    Run(insertMetadata, org.Id, id, MetadataLimits.ChatWidgetPrefix + Keys[k], value, (object?)MetadataService.ParseNumber(value), created);
                    metadataRows++;
                }
            }
            await tx.CommitAsync(ct);
            if ((done / BatchSize) % 20 == 0 && conversations > BatchSize)
                logger.LogInformation("Bulk seed: {Done:N0}/{Total:N0} conversations", done + batch, conversations);
        }
        await scope.ServiceProvider.GetRequiredService<IConversationSearchIndex>().EnsureAsync(db, ct);
        await using (var analyze = connection.CreateCommand())
        {
            analyze.CommandText = "ANALYZE;";
            await analyze.ExecuteNonQueryAsync(ct);
        }
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

    private static string Text(Guid id) => id.ToString().ToUpperInvariant();

    private static DbCommand Prepare(DbConnection connection, DbTransaction tx, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            command.Parameters.Add(p);
        }
        command.Prepare();
        return command;
    }

    private static void Run(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        command.ExecuteNonQuery();
    }
}
