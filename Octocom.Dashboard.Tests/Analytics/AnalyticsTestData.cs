using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Metadata;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Analytics;

/// <summary>A conversation as the analytics tests describe it: exact metadata, outcome and message count.</summary>
public sealed record SeedConversation(string PublicId, Dictionary<string, string> Metadata)
{
    public ConversationStatus Status { get; init; } = ConversationStatus.Open;
    public bool HandedOff { get; init; }
    public int Messages { get; init; } = 2;
    public string Channel { get; init; } = Channels.Web;
    public string[] Tags { get; init; } = [];
    public DateTime CreatedAt { get; init; } = new(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);
}

public static class AnalyticsTestData
{
    /// <summary>Inserts the conversations exactly as described (metadata through the same number parser as MetadataService).</summary>
    public static async Task InsertAsync(this TestApp app, TestData.Tenant tenant, IEnumerable<SeedConversation> conversations, int? businessId = null)
    {
        await using var scope = app.ScopeFor(tenant.OrganizationId);
        await using var db = scope.Db();
        foreach (var seed in conversations)
        {
            var conversation = new Conversation
            {
                OrganizationId = tenant.OrganizationId,
                BusinessId = businessId ?? tenant.BusinessId,
                PublicId = seed.PublicId,
                Subject = $"Conversation {seed.PublicId}",
                Status = seed.Status,
                InitialChannel = seed.Channel,
                LatestChannel = seed.Channel,
                CreatedAt = seed.CreatedAt,
                LastActivityAt = seed.CreatedAt.AddMinutes(seed.Messages),
                MessageCount = seed.Messages,
                HandedOffAt = seed.HandedOff ? seed.CreatedAt.AddMinutes(1) : null,
                ClosedAt = seed.Status == ConversationStatus.Closed ? seed.CreatedAt.AddMinutes(5) : null,
            };
            foreach (var (key, value) in seed.Metadata)
                conversation.Metadata.Add(new ConversationMetadata
                {
                    OrganizationId = tenant.OrganizationId, ConversationId = conversation.Id, Key = key, Value = value,
                    NumericValue = MetadataService.ParseNumber(value),
                });
            foreach (var tag in seed.Tags)
                conversation.Tags.Add(new ConversationTag { OrganizationId = tenant.OrganizationId, ConversationId = conversation.Id, Name = tag });
            db.Conversations.Add(conversation);
        }
        await db.SaveChangesAsync();
    }

    public static Dictionary<string, string> Meta(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
