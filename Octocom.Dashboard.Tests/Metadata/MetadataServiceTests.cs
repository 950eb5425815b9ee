using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Metadata;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Metadata;

public sealed class MetadataServiceTests : TwoTenantTest
{
    private Guid _conversationId;

    protected override async Task SeedAsync()
    {
        _conversationId = (await App.CreateConversationAsync(Acme)).Id;
    }

    private async Task<MetadataWriteResult> WriteAsync(MetadataBatchMode mode, params MetadataChange[] changes)
    {
        await using var scope = App.ScopeFor(Acme.OrganizationId);
        return await scope.Get<MetadataService>().WriteAsync(_conversationId, changes, mode);
    }

    private Task<MetadataWriteResult> WriteAsync(params MetadataChange[] changes) => WriteAsync(MetadataBatchMode.Partial, changes);

    private async Task<Dictionary<string, string>> StoredAsync()
    {
        await using var scope = App.ScopeFor(Acme.OrganizationId);
        return (await scope.Get<MetadataService>().GetAsync(_conversationId)).ToDictionary(m => m.Key, m => m.Value);
    }

    private static MetadataChange Agent(string key, string value) => MetadataChange.Set(key, value, MetadataSources.Agent);

    [Fact]
    public async Task Write_KeyOfExactly200Characters_IsStored()
    {
        var key = new string('k', 200);
        var result = await WriteAsync(Agent(key, "v"));
        Assert.True(result.AllApplied);
        Assert.Equal("v", (await StoredAsync())[key]);
    }

    [Fact]
    public async Task Write_KeyOf201Characters_IsRejectedNamingTheLimit()
    {
        var result = await WriteAsync(Agent(new string('k', 201), "v"));
        var rejection = Assert.Single(result.Rejected);
        Assert.Equal(MetadataRules.KeyTooLong, rejection.Rule);
        Assert.Contains("200", rejection.Message);
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task Write_ValueOfExactly50000Characters_IsStored()
    {
        var result = await WriteAsync(Agent("notes", new string('x', 50_000)));
        Assert.True(result.AllApplied);
        Assert.Equal(50_000, (await StoredAsync())["notes"].Length);
    }

    [Fact]
    public async Task Write_ValueOf50001Characters_IsRejectedNamingTheLimit()
    {
        var result = await WriteAsync(Agent("notes", new string('x', 50_001)));
        var rejection = Assert.Single(result.Rejected);
        Assert.Equal(MetadataRules.ValueTooLong, rejection.Rule);
        Assert.Contains("50,000", rejection.Message);
    }

    [Fact]
    public async Task Write_The201stPair_IsRejectedButThe200thIsStored()
    {
        var first199 = Enumerable.Range(0, 199).Select(i => Agent($"key{i}", "v")).ToArray();
        Assert.True((await WriteAsync(first199)).AllApplied);

        var result = await WriteAsync(Agent("key199", "v"), Agent("key200", "v"));

        Assert.Equal(["key199"], result.Applied.Select(a => a.Key));
        var rejection = Assert.Single(result.Rejected);
        Assert.Equal(("key200", MetadataRules.TooManyPairs), (rejection.Key, rejection.Rule));
        Assert.Contains("200", rejection.Message);
        Assert.Equal(200, (await StoredAsync()).Count);
    }

    [Fact]
    public async Task Write_ExistingKeyWhenFull_UpdatesBecauseItIsAnUpsert()
    {
        await WriteAsync(Enumerable.Range(0, 200).Select(i => Agent($"key{i}", "old")).ToArray());
        var result = await WriteAsync(Agent("key5", "new"));
        Assert.True(result.AllApplied);
        Assert.Equal("new", (await StoredAsync())["key5"]);
    }

    [Fact]
    public async Task Write_SameKeyTwice_UpdatesValueAndNumericValue()
    {
        await WriteAsync(Agent("cart_value", "10.50"));
        await WriteAsync(Agent("cart_value", "489.99"));
        var stored = await App.QueryAsync(Acme.OrganizationId, db => db.ConversationMetadata.SingleAsync(m => m.Key == "cart_value"));
        Assert.Equal("489.99", stored.Value);
        Assert.Equal(489.99, stored.NumericValue);
    }

    [Fact]
    public async Task Write_PartialBatch_AppliesValidChangesAndReportsEachInvalidOne()
    {
        var result = await WriteAsync(Agent("plan", "pro"), Agent("", "x"), Agent("big", new string('x', 50_001)), Agent("tier", "gold"));
        Assert.Equal(["plan", "tier"], result.Applied.Select(a => a.Key));
        Assert.Equal([MetadataRules.KeyRequired, MetadataRules.ValueTooLong], result.Rejected.Select(r => r.Rule));
        Assert.Equal(["plan", "tier"], (await StoredAsync()).Keys.Order());
    }

    [Fact]
    public async Task Write_AllOrNothingBatchWithOneInvalidChange_AppliesNothing()
    {
        var result = await WriteAsync(MetadataBatchMode.AllOrNothing, Agent("plan", "pro"), Agent(new string('k', 201), "x"));
        Assert.Empty(result.Applied);
        Assert.Contains(result.Rejected, r => r.Key == "plan" && r.Rule == MetadataRules.BatchRejected);
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task Write_ChatWidgetKeyFromAgent_IsReadOnly()
    {
        var result = await WriteAsync(Agent("chat-widget:plan", "hacked"));
        Assert.Equal(MetadataRules.ReservedPrefix, Assert.Single(result.Rejected).Rule);

        var fromWidget = await WriteAsync(MetadataChange.Set("chat-widget:plan", "pro", MetadataSources.ChatWidget));
        Assert.True(fromWidget.AllApplied);
    }

    [Fact]
    public async Task Write_DeleteThenSetSameKeyInOneBatch_KeepsTheNewValue()
    {
        await WriteAsync(Agent("a", "1"));
        var result = await WriteAsync(MetadataChange.Delete("a", MetadataSources.Agent), Agent("a", "2"), Agent("b", "x"),
            MetadataChange.Delete("b", MetadataSources.Agent));
        Assert.True(result.AllApplied);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "2" }, await StoredAsync());
    }

    [Fact]
    public async Task Write_ConversationOfAnotherOrganization_IsNotFound()
    {
        var other = Globex;
        await using var scope = App.ScopeFor(other.OrganizationId);
        await Assert.ThrowsAsync<ConversationNotFoundException>(() =>
            scope.Get<MetadataService>().WriteAsync(_conversationId, [Agent("x", "y")]));
    }

    [Theory]
    [InlineData("489.99", 489.99)]
    [InlineData(" -3 ", -3.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData("12abc", null)]
    [InlineData("NaN", null)]
    [InlineData("", null)]
    public void ParseNumber_OnlyWholeFiniteNumbers(string value, double? expected) =>
        Assert.Equal(expected, MetadataService.ParseNumber(value));
}
