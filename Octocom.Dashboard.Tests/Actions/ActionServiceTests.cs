using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Actions;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Functions;
using Octocom.Dashboard.Tests.Studio;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Actions;

/// <summary>The conversation page's "Run action": live runs of active actions and conditions, recorded; the demo functions on demo-shaped data.</summary>
[Collection(StudioAppCollection.Name)]
public sealed class ActionServiceTests(StudioAppFixture fixture)
{
    private const string Orders = """[{"id":"ORD-1234","total":59.9,"date":"2026-10-01"},{"id":"ORD-5678","total":12.5,"date":"2026-09-12"}]""";

    private async Task<(TestData.Tenant Tenant, Conversation Conversation, int OrderLookup, int HighValueCart)> ArrangeAsync(string cartValue = "250.00")
    {
        var tenant = await fixture.NewTenantAsync();
        var conversation = await fixture.App.CreateConversationAsync(tenant, metadata: new Dictionary<string, string>
        {
            ["chat-widget:recent_orders"] = Orders, ["chat-widget:cart_value"] = cartValue,
        });
        await using var scope = fixture.ScopeFor(tenant);
        var functions = scope.Get<FunctionService>();
        var lookup = await functions.CreateAsync(DemoActionsContributor.OrderLookup);
        var cart = await functions.CreateAsync(DemoActionsContributor.HighValueCart);
        Assert.True(lookup.Succeeded && cart.Succeeded);
        return (tenant, conversation, lookup.Function!.Id, cart.Function!.Id);
    }

    [Fact]
    public async Task List_OnlyActiveActionsAndConditions()
    {
        var (tenant, _, lookup, cart) = await ArrangeAsync();
        await using var scope = fixture.ScopeFor(tenant);
        await scope.Get<FunctionService>().CreateAsync(FunctionDrafts.Widget());
        await scope.Get<FunctionService>().SetActiveAsync(cart, false);

        var choice = Assert.Single(await scope.Get<ActionService>().ListAsync());
        Assert.Equal((lookup, FunctionKind.CustomAction, "orderId"), (choice.Id, choice.Kind, choice.Arguments.Single().Name));
    }

    [Fact]
    public async Task Run_OrderLookup_AppliesItsEffectsAndIsRecordedAsAnActionWithItsVersion()
    {
        var (tenant, conversation, lookup, _) = await ArrangeAsync();
        await using var scope = fixture.ScopeFor(tenant, "agent@acme.test");

        var outcome = await scope.Get<ActionService>().RunAsync(lookup, conversation.Id, new JsonObject { ["orderId"] = "ord-5678" });

        Assert.True(outcome!.Succeeded, outcome.Result.Error?.Message);
        Assert.True((bool)outcome.Result.Result!["found"]!);
        Assert.Equal(12.5, (double)outcome.Result.Result["order"]!["total"]!);
        Assert.Contains("2 recent order(s)", outcome.Result.Stdout);
        Assert.True(outcome.EffectsApplied);
        var run = await fixture.App.QueryAsync(tenant.OrganizationId, db => db.ScriptRuns.SingleAsync(r => r.Id == outcome.RunId));
        Assert.Equal((RunTrigger.Action, 1, lookup, "agent@acme.test"), (run.Trigger, run.FunctionVersion, run.FunctionId, run.TriggeredBy));
        var metadata = await fixture.App.QueryAsync(tenant.OrganizationId, db => db.ConversationMetadata
            .SingleAsync(m => m.ConversationId == conversation.Id && m.Key == "action:last_order_lookup"));
        Assert.Equal("ORD-5678", metadata.Value);
    }

    [Fact]
    public async Task Run_OrderLookup_UnknownOrder_ReturnsTheKnownOnes()
    {
        var (tenant, conversation, lookup, _) = await ArrangeAsync();
        await using var scope = fixture.ScopeFor(tenant);

        var outcome = await scope.Get<ActionService>().RunAsync(lookup, conversation.Id, new JsonObject { ["orderId"] = "ORD-0000" });

        Assert.False((bool)outcome!.Result.Result!["found"]!);
        Assert.Equal("[\"ORD-1234\",\"ORD-5678\"]", outcome.Result.Result["known"]!.ToJsonString());
    }

    [Theory]
    [InlineData("250.00", null, true)]
    [InlineData("150.00", null, false)]
    [InlineData("150.00", 100.0, true)]
    public async Task Run_HighValueCart_ComparesTheCartValueWithTheThreshold(string cartValue, double? threshold, bool expected)
    {
        var (tenant, conversation, _, cart) = await ArrangeAsync(cartValue);
        await using var scope = fixture.ScopeFor(tenant);
        var args = threshold is { } t ? new JsonObject { ["threshold"] = t } : new JsonObject();

        var outcome = await scope.Get<ActionService>().RunAsync(cart, conversation.Id, args);

        Assert.True(outcome!.Succeeded, outcome.Result.Error?.Message);
        Assert.Equal(expected, (bool)outcome.Result.Result!);
    }

    [Fact]
    public async Task Run_InactiveOrOtherOrganizationsFunction_IsNotRun()
    {
        var (tenant, conversation, lookup, cart) = await ArrangeAsync();
        var other = await fixture.NewTenantAsync();
        await using (var otherScope = fixture.ScopeFor(other))
            Assert.Null(await otherScope.Get<ActionService>().RunAsync(lookup, conversation.Id, new JsonObject { ["orderId"] = "x" }));

        await using var scope = fixture.ScopeFor(tenant);
        await scope.Get<FunctionService>().SetActiveAsync(cart, false);
        Assert.Null(await scope.Get<ActionService>().RunAsync(cart, conversation.Id, new JsonObject()));
        Assert.Equal(0, await fixture.App.QueryAsync(tenant.OrganizationId, db => db.ScriptRuns.CountAsync()));
    }
}
