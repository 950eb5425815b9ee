using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Metadata;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Metadata;

/// <summary>StageAsync with the conversation's pairs preloaded untracked by the caller (the chat API's batches).</summary>
public sealed class MetadataServicePreloadedTests : TwoTenantTest
{
    private Guid _conversationId;

    protected override async Task SeedAsync()
    {
        _conversationId = (await App.CreateConversationAsync(Acme)).Id;
        await StagePreloadedAsync(Widget("chat-widget:plan", "basic"), Widget("chat-widget:locale", "en-US"));
    }

    private async Task<MetadataWriteResult> StagePreloadedAsync(params MetadataChange[] changes)
    {
        await using var scope = App.ScopeFor(Acme.OrganizationId);
        await using var db = scope.Db();
        await using var tx = await db.Database.BeginTransactionAsync();
        var stored = await db.ConversationMetadata.AsNoTracking().Where(m => m.ConversationId == _conversationId).ToListAsync();
        var result = await scope.Get<MetadataService>().StageAsync(db, _conversationId, changes, MetadataBatchMode.Partial, stored);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return result;
    }

    private Task<Dictionary<string, ConversationMetadata>> StoredAsync() =>
        App.QueryAsync(Acme.OrganizationId, db => db.ConversationMetadata.Where(m => m.ConversationId == _conversationId)
            .ToDictionaryAsync(m => m.Key));

    private static MetadataChange Widget(string key, string? value) => new(key, value, MetadataSources.ChatWidget);

    [Fact]
    public async Task StagePreloaded_ChangedAndNewPairs_AreWrittenAndTheRestLeftAlone()
    {
        var before = await StoredAsync();
        await Task.Delay(20);

        var result = await StagePreloadedAsync(Widget("chat-widget:plan", "premium"), Widget("chat-widget:locale", "en-US"),
            Widget("chat-widget:user_id", "42"));

        Assert.True(result.AllApplied);
        var after = await StoredAsync();
        Assert.Equal("premium", after["chat-widget:plan"].Value);
        Assert.Equal("42", after["chat-widget:user_id"].Value);
        Assert.Equal(before["chat-widget:locale"].UpdatedAt, after["chat-widget:locale"].UpdatedAt);
        Assert.NotEqual(before["chat-widget:plan"].UpdatedAt, after["chat-widget:plan"].UpdatedAt);
    }

    [Fact]
    public async Task StagePreloaded_Delete_RemovesThePair()
    {
        await StagePreloadedAsync(Widget("chat-widget:plan", null));
        Assert.Equal(["chat-widget:locale"], (await StoredAsync()).Keys);
    }

    [Fact]
    public async Task StagePreloaded_PairLimit_CountsThePreloadedPairs()
    {
        var changes = Enumerable.Range(0, MetadataLimits.MaxPairsPerConversation - 1).Select(i => Widget($"chat-widget:k{i:000}", "v")).ToArray();

        var result = await StagePreloadedAsync(changes);

        var rejection = Assert.Single(result.Rejected);
        Assert.Equal(MetadataRules.TooManyPairs, rejection.Rule);
        Assert.Equal(MetadataLimits.MaxPairsPerConversation, (await StoredAsync()).Count);
    }
}
