using System.Text.Json.Nodes;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Studio;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Studio;

/// <summary>The editor's completions are checked against what the engine really provides, so they cannot drift.</summary>
[Collection(StudioAppCollection.Name)]
public sealed class EditorCompletionsTests(StudioAppFixture fixture)
{
    private async Task<JsonNode> RunAsync(string code, FunctionKind kind = FunctionKind.EventHandler)
    {
        var tenant = await fixture.NewTenantAsync();
        var conversation = await fixture.App.CreateConversationAsync(tenant, customer: new Customer { Email = "a@b.c" });
        await using var scope = fixture.ScopeFor(tenant);
        var outcome = await scope.Get<ScriptRunner>().RunAsync(new ScriptRunRequest
        {
            Kind = kind, Code = code, Conversation = conversation.PublicId, EventType = EventTypes.ConversationClosed,
            Limits = StudioAppFixture.ShortLimits(), Record = false,
        });
        Assert.True(outcome.Succeeded, outcome.Result.Error?.Message);
        return outcome.Result.Result!;
    }

    [Fact]
    public async Task Helpers_MatchTheEnginesHelpersAndSignatures()
    {
        var result = await RunAsync("def handle_event(context):\n    return list_predefined_functions()\n");
        var engine = result.AsArray().Select(h => ((string)h!["name"]!, (string)h["signature"]!)).OrderBy(h => h.Item1).ToList();
        var editor = EditorCompletions.Helpers.Select(h => (h.Name, h.Signature)).OrderBy(h => h.Name).ToList();
        Assert.Equal(engine, editor);
    }

    [Fact]
    public async Task ContextKeys_MatchTheContextTheEngineBuilds()
    {
        var result = await RunAsync("""
            def handle_event(context):
                return {
                    "top": sorted(context),
                    "conversation": sorted(context["conversation"]),
                    "message": sorted(context["conversation"]["messages"][0]),
                    "business": sorted(context["business"]),
                    "customer": sorted(context["customer"]),
                    "args": sorted(context["args"]),
                }
            """);
        string[] Keys(params string[] path) => EditorCompletions.ContextKeys.Where(k => k.Path.SequenceEqual(path)).Select(k => k.Key).Order(StringComparer.Ordinal).ToArray();
        string[] Actual(string name) => result[name]!.AsArray().Select(k => (string)k!).ToArray();

        Assert.Equal(Actual("top"), Keys());
        Assert.Equal(Actual("conversation"), Keys("conversation"));
        Assert.Equal(Actual("message"), Keys("conversation", "messages", "*"));
        Assert.Equal(Actual("business"), Keys("business"));
        Assert.Equal(Actual("customer"), Keys("customer"));
        Assert.Equal(Actual("args"), Keys("args"));
    }

    [Fact]
    public void ForArguments_CompletesTheFunctionsArgumentNames()
    {
        var keys = EditorCompletions.ForArguments([new ArgumentDefinition("orderId", "string", "The order"), new ArgumentDefinition(" ")]).ToList();
        var key = Assert.Single(keys);
        Assert.Equal(["args"], key.Path);
        Assert.Equal(("orderId", "The order"), (key.Key, key.Description));
    }

    [Theory]
    [InlineData(FunctionKind.SidebarWidget)]
    [InlineData(FunctionKind.EventHandler)]
    [InlineData(FunctionKind.CustomAction)]
    [InlineData(FunctionKind.ConditionProvider)]
    public async Task StarterTemplate_RunsAsIs(FunctionKind kind)
    {
        var result = await RunAsync(StarterTemplates.For(kind), kind);
        if (kind == FunctionKind.SidebarWidget)
        {
            var checker = fixture.App.Services.GetService(typeof(Octocom.Dashboard.Widgets.WidgetResultChecker)) as Octocom.Dashboard.Widgets.WidgetResultChecker;
            Assert.True(checker!.Check(result).IsValid);
        }
        Assert.Contains($"def {kind.EntryPoint()}(context):", StarterTemplates.For(kind));
    }
}
