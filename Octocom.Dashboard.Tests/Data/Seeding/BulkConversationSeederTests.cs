using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data.Seeding;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Data.Seeding;

public sealed class BulkConversationSeederTests
{
    [Fact]
    public async Task Seed_WritesConversationsEfReadsBack_AndTheSameSeedGivesTheSameData()
    {
        await using var first = await TestApp.CreateAsync(demoData: true, demoConversations: 5);
        await using var second = await TestApp.CreateAsync(demoData: true, demoConversations: 5);

        var result = await first.Services.GetRequiredService<BulkConversationSeeder>().SeedAsync(60, metadataPerConversation: 4, "demo");
        await second.Services.GetRequiredService<BulkConversationSeeder>().SeedAsync(60, metadataPerConversation: 4, "demo");

        Assert.Equal((60, 240), (result.Conversations, result.MetadataRows));
        var seeded = await SyntheticAsync(first);
        Assert.Equal(60, seeded.Count);
        Assert.All(seeded, c =>
        {
            Assert.Equal(3, c.Messages.Count);
            Assert.Equal(4, c.Metadata.Count);
            Assert.Equal(c.Status == ConversationStatus.Closed, c.ClosedAt is not null);
        });
        Assert.Equal(3, seeded.Select(c => c.Status).Distinct().Count());
        Assert.Contains(seeded, c => c.Customer is not null);
        Assert.Equal(Describe(seeded), Describe(await SyntheticAsync(second)));
    }

    private static Task<List<Conversation>> SyntheticAsync(TestApp app) =>
        app.QueryAsync(1, db => db.Conversations.Include(c => c.Messages).Include(c => c.Metadata).Include(c => c.Customer)
            .Where(c => c.Subject.StartsWith("Synthetic conversation")).OrderBy(c => c.CreatedAt).ThenBy(c => c.PublicId).ToListAsync());

    private static List<string> Describe(List<Conversation> conversations) => conversations.Select(c =>
        $"{c.Id} {c.PublicId} {c.Status} {c.LatestChannel} {c.Customer?.Email} " +
        string.Join(";", c.Metadata.OrderBy(m => m.Key).Select(m => $"{m.Key}={m.Value}"))).ToList();
}
