using System.Text.Json.Nodes;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Events;

/// <summary>
/// The studio's "simulate the event" test run (seed 004, Testing): the chosen event type reaches the handler as
/// <c>args.event_type</c> through <see cref="ScriptRunRequest.EventType"/>, and nothing is fired — no job, no status change.
/// </summary>
[Collection(EventsCollection.Name)]
public sealed class HandlerTestRunTests
{
    [Theory]
    [InlineData(EventTypes.ConversationClosed)]
    [InlineData(EventTypes.ConversationHandedOff)]
    public async Task TestRun_PassesTheChosenEventType_WithoutFiringTheEvent(string eventType)
    {
        await using var app = await TestApp.CreateAsync(settings: EventsTestKit.Settings(poolSize: 1));
        var tenant = await app.CreateTenantAsync();
        var handler = await app.AddHandlerAsync(tenant, "Branches", """
            def handle_event(context):
                add_conversation_tag(context, "touched")
                return {"event_type": context["args"]["event_type"], "args": context["args"]}
            """);
        var conversation = await app.CreateConversationAsync(tenant);

        await using var scope = app.ScopeFor(tenant.OrganizationId, "admin@acme.test");
        var outcome = await scope.Get<ScriptRunner>().RunAsync(new ScriptRunRequest
        {
            Kind = FunctionKind.EventHandler, Code = handler.Code, FunctionId = handler.Id, FunctionName = handler.Name,
            Conversation = conversation.PublicId, EventType = eventType, Trigger = RunTrigger.Test,
        });

        Assert.True(outcome.Succeeded, outcome.Result.Error?.Message);
        Assert.Equal(eventType, (string?)outcome.Result.Result!["event_type"]);
        Assert.Equal(new JsonObject { ["event_type"] = eventType }.ToJsonString(), outcome.Result.Result["args"]!.ToJsonString());
        Assert.False(outcome.EffectsApplied); // a dry run: effects are shown, not applied
        Assert.Empty(await app.JobsAsync(tenant, conversation.Id));
        var status = await app.QueryAsync(tenant.OrganizationId, db => Task.FromResult(db.Conversations.Single(c => c.Id == conversation.Id).Status));
        Assert.Equal(Octocom.Dashboard.Conversations.ConversationStatus.Open, status);
        Assert.Empty(await app.QueryAsync(tenant.OrganizationId, db => Task.FromResult(db.Tags.ToList())));
    }
}
