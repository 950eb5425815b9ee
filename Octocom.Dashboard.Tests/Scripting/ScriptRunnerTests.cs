using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Metadata;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Secrets;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Scripting;

/// <summary>The orchestrator end to end: real database, real engine, effects applied (or not) in one transaction, runs recorded.</summary>
public sealed class ScriptRunnerTests : IClassFixture<ScriptRunnerTests.AppFixture>
{
    public sealed class AppFixture : IAsyncLifetime
    {
        public TestApp App { get; private set; } = default!;
        public TestData.Tenant Tenant { get; private set; } = default!;

        public async Task InitializeAsync()
        {
            App = await TestApp.CreateAsync(settings: new Dictionary<string, string?> { ["Scripting:PoolSize"] = "2" });
            Tenant = await App.CreateTenantAsync();
        }

        public async Task DisposeAsync() => await App.DisposeAsync();
    }

    private readonly TestApp _app;
    private readonly TestData.Tenant _tenant;

    public ScriptRunnerTests(AppFixture fixture)
    {
        _app = fixture.App;
        _tenant = fixture.Tenant;
    }

    private async Task<Conversation> ConversationAsync(IDictionary<string, string>? metadata = null) =>
        await _app.CreateConversationAsync(_tenant, metadata: metadata ?? new Dictionary<string, string> { ["plan"] = "basic" });

    private async Task<ScriptRunOutcome> RunAsync(ScriptRunRequest request, int? organizationId = null)
    {
        await using var scope = _app.ScopeFor(organizationId ?? _tenant.OrganizationId, "jane@acme.test");
        return await scope.Get<ScriptRunner>().RunAsync(request with { Limits = request.Limits ?? PythonEngineFixture.Limits() });
    }

    private const string EffectsScript = """
        def handle_event(context):
            set_conversation_metadata(context, 'plan', 'gold')
            set_conversation_metadata(context, 'crm:synced', True)
            add_conversation_tag(context, '  VIP  ')
            add_conversation_event(context, {'type': 'crm_synced', 'description': 'Synced to CRM', 'data': {'account': 42}})
            return {'status': 'synced', 'plan_now': get_conversation_metadata(context, 'plan')}
        """;

    private static ScriptRunRequest Handler(string code, Conversation conversation, bool apply) => new()
    {
        Kind = FunctionKind.EventHandler,
        Code = code,
        FunctionName = "CRM sync",
        FunctionId = null,
        FunctionVersion = 3,
        Conversation = conversation.PublicId,
        EventType = EventTypes.ConversationClosed,
        Trigger = RunTrigger.Event,
        ApplyEffects = apply,
    };

    private Task<Dictionary<string, string>> MetadataAsync(Guid conversationId) =>
        _app.QueryAsync(_tenant.OrganizationId, db => db.ConversationMetadata.Where(m => m.ConversationId == conversationId)
            .ToDictionaryAsync(m => m.Key, m => m.Value));

    private Task<List<string>> TagsAsync(Guid conversationId) =>
        _app.QueryAsync(_tenant.OrganizationId, db => db.Tags.Where(t => t.ConversationId == conversationId).Select(t => t.Name).ToListAsync());

    private Task<List<ConversationEvent>> ScriptEventsAsync(Guid conversationId) =>
        _app.QueryAsync(_tenant.OrganizationId, db => db.ConversationEvents.Where(e => e.ConversationId == conversationId && e.Source.StartsWith("script:")).ToListAsync());

    private Task<ScriptRun> StoredRunAsync(long id) =>
        _app.QueryAsync(_tenant.OrganizationId, db => db.ScriptRuns.SingleAsync(r => r.Id == id));

    [Fact]
    public async Task Run_DryRun_ReturnsEffectsWithoutApplyingThem()
    {
        var conversation = await ConversationAsync();

        var outcome = await RunAsync(Handler(EffectsScript, conversation, apply: false));

        Assert.True(outcome.Succeeded, outcome.Result.Error?.Message);
        Assert.False(outcome.EffectsApplied);
        Assert.Empty(outcome.Rejections);
        Assert.Equal(2, outcome.Result.Effects.Metadata.Count);
        Assert.Equal("gold", (string?)outcome.Result.Result!["plan_now"]);
        Assert.Equal("basic", (await MetadataAsync(conversation.Id))["plan"]);
        Assert.Empty(await TagsAsync(conversation.Id));
        Assert.Empty(await ScriptEventsAsync(conversation.Id));
        var run = await StoredRunAsync(outcome.RunId!.Value);
        Assert.False(run.EffectsApplied);
        Assert.Contains("\"crm:synced\"", run.EffectsJson);
    }

    [Fact]
    public async Task Run_LiveRun_AppliesMetadataTagsAndEventsTogether()
    {
        var conversation = await ConversationAsync();
        var changes = new List<ConversationChangeKind>();
        using var subscription = _app.Services.GetRequiredService<ConversationNotifier>().Subscribe(conversation.Id, c =>
        {
            lock (changes) changes.Add(c.Kind);
            return Task.CompletedTask;
        });

        var outcome = await RunAsync(Handler(EffectsScript, conversation, apply: true));

        Assert.True(outcome.Succeeded, outcome.Result.Error?.Message);
        Assert.True(outcome.EffectsApplied);
        var metadata = await MetadataAsync(conversation.Id);
        Assert.Equal("gold", metadata["plan"]);
        Assert.Equal("true", metadata["crm:synced"]);
        var stored = await _app.QueryAsync(_tenant.OrganizationId, db => db.ConversationMetadata.SingleAsync(m => m.ConversationId == conversation.Id && m.Key == "plan"));
        Assert.Equal(MetadataSources.Script, stored.Source);
        Assert.Equal(["vip"], await TagsAsync(conversation.Id));
        var timeline = Assert.Single(await ScriptEventsAsync(conversation.Id));
        Assert.Equal(("crm_synced", "Synced to CRM", "script:CRM sync", "{\"account\":42}"),
            (timeline.Type, timeline.Description, timeline.Source, timeline.DataJson));
        Assert.True((await StoredRunAsync(outcome.RunId!.Value)).EffectsApplied);
        await WaitUntil(() => { lock (changes) return changes.Contains(ConversationChangeKind.ScriptRun); });
        lock (changes)
            Assert.Superset(new HashSet<ConversationChangeKind> { ConversationChangeKind.Metadata, ConversationChangeKind.Tags, ConversationChangeKind.Timeline }, changes.ToHashSet());
    }

    [Fact]
    public async Task Run_OneEffectRefused_AppliesNothingAndReportsTheRejection()
    {
        var conversation = await ConversationAsync();
        const string code = """
            def handle_event(context):
                set_conversation_metadata(context, 'plan', 'gold')
                set_conversation_metadata(context, 'bad\u0001key', 'x')
                add_conversation_tag(context, 'vip')
                add_conversation_event(context, 'Synced')
                return 'done'
            """;

        var outcome = await RunAsync(Handler(code, conversation, apply: true));

        Assert.True(outcome.Succeeded);
        Assert.False(outcome.EffectsApplied);
        Assert.Contains(outcome.Rejections, r => r.Effect == "metadata" && r.Rule == MetadataRules.KeyInvalidCharacters);
        Assert.Contains(outcome.Rejections, r => r.Target == "plan" && r.Rule == MetadataRules.BatchRejected);
        Assert.Equal("basic", (await MetadataAsync(conversation.Id))["plan"]);
        Assert.Empty(await TagsAsync(conversation.Id));
        Assert.Empty(await ScriptEventsAsync(conversation.Id));
        var run = await StoredRunAsync(outcome.RunId!.Value);
        Assert.False(run.EffectsApplied);
        Assert.Contains(MetadataRules.KeyInvalidCharacters, run.EffectsJson);
    }

    [Fact]
    public async Task Run_DryRunWithARefusableEffect_ShowsTheRejectionWithoutApplying()
    {
        var conversation = await ConversationAsync();

        var outcome = await RunAsync(Handler("def handle_event(context):\n    set_conversation_metadata(context, 'x\\u0007', 'v')\n", conversation, apply: false));

        Assert.False(outcome.EffectsApplied);
        Assert.Equal(MetadataRules.KeyInvalidCharacters, Assert.Single(outcome.Rejections).Rule);
    }

    [Fact]
    public async Task Run_ScriptFailsAfterRequestingEffects_AppliesNothing()
    {
        var conversation = await ConversationAsync();

        var outcome = await RunAsync(Handler(
            "def handle_event(context):\n    set_conversation_metadata(context, 'plan', 'gold')\n    raise RuntimeError('CRM is down')\n",
            conversation, apply: true));

        Assert.Equal(ScriptRunStatus.Error, outcome.Status);
        Assert.False(outcome.EffectsApplied);
        Assert.Single(outcome.Result.Effects.Metadata);
        Assert.Equal("basic", (await MetadataAsync(conversation.Id))["plan"]);
    }

    [Fact]
    public async Task Run_Recorded_StoresEveryField()
    {
        var conversation = await ConversationAsync();

        var outcome = await RunAsync(Handler(
            "def handle_event(context):\n    print('closing', context['args']['event_type'])\n    return 1 / 0\n", conversation, apply: true)
            with { EventJobId = 77, Attempt = 2 });

        var run = await StoredRunAsync(outcome.RunId!.Value);
        Assert.Equal(ScriptRunStatus.Error, run.Status);
        Assert.Equal(("CRM sync", FunctionKind.EventHandler, RunTrigger.Event, 3), (run.FunctionName, run.Kind, run.Trigger, run.FunctionVersion));
        Assert.Equal((conversation.Id, 77L, 2), (run.ConversationId!.Value, run.EventJobId!.Value, run.Attempt));
        Assert.Equal("closing conversation_closed\n", run.Stdout);
        Assert.Equal(("ZeroDivisionError", "division by zero", 3), (run.ErrorType, run.ErrorMessage, run.ErrorLine));
        Assert.Contains("File \"CRM sync.py\", line 3, in handle_event", run.Traceback);
        Assert.True(run.DurationMs > 0);
        Assert.Equal("jane@acme.test", run.TriggeredBy);
        Assert.Equal(outcome.ContextJson, run.ContextJson);
        Assert.Equal(conversation.Id.ToString(), (string?)JsonNode.Parse(run.ContextJson!)!["conversation"]!["id"]);
        Assert.Equal(_tenant.OrganizationId, run.OrganizationId);
    }

    [Fact]
    public async Task Run_ContextJson_IsExactlyWhatTheScriptSaw()
    {
        var conversation = await ConversationAsync();

        var outcome = await RunAsync(new ScriptRunRequest
        {
            Kind = FunctionKind.SidebarWidget, Code = "def get_sidebar_data(context):\n    return context\n", Conversation = conversation.Id.ToString(), Record = false,
        });

        Assert.True(outcome.Succeeded);
        Assert.Null(outcome.RunId);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(outcome.ContextJson), outcome.Result.Result));
    }

    [Theory]
    [InlineData(FunctionKind.SidebarWidget, "get_sidebar_data", "['browser_session', 'business', 'conversation', 'customer'] None")]
    [InlineData(FunctionKind.EventHandler, "handle_event", "['args', 'browser_session', 'business', 'conversation', 'customer'] {'event_type': 'conversation_closed'}")]
    [InlineData(FunctionKind.CustomAction, "execute_action", "['args', 'browser_session', 'business', 'conversation', 'customer'] {'orderId': 7}")]
    [InlineData(FunctionKind.ConditionProvider, "check_condition", "['args', 'browser_session', 'business', 'conversation', 'customer'] {'orderId': 7}")]
    public async Task Run_EachKind_SeesTheContextShapeOfTheSeedsTable(FunctionKind kind, string entryPoint, string expected)
    {
        var conversation = await ConversationAsync();

        var outcome = await RunAsync(new ScriptRunRequest
        {
            Kind = kind,
            Code = $"def {entryPoint}(context):\n    return str(sorted(context)) + ' ' + str(context.get('args')) + ' ' + str(context['customer'])\n",
            Conversation = conversation.PublicId,
            EventType = EventTypes.ConversationClosed,
            Args = new JsonObject { ["orderId"] = 7 },
        });

        Assert.True(outcome.Succeeded, outcome.Result.Error?.Message);
        Assert.Equal(expected + " None", (string?)outcome.Result.Result);
    }

    [Fact]
    public async Task Run_ActionWithoutConversation_RunsForTheChosenBusiness()
    {
        var outcome = await RunAsync(new ScriptRunRequest
        {
            Kind = FunctionKind.CustomAction,
            Code = "def execute_action(context):\n    return [context['conversation'], context['business']['slug'], context['args']['email']]\n",
            BusinessId = _tenant.BusinessId,
            Args = new JsonObject { ["email"] = "ada@example.com" },
            Trigger = RunTrigger.Action,
            ApplyEffects = true,
        });

        Assert.True(outcome.Succeeded, outcome.Result.Error?.Message);
        Assert.Equal("[null,\"acme-shop\",\"ada@example.com\"]", outcome.Result.Result!.ToJsonString());
        Assert.Null(outcome.ConversationId);
    }

    [Fact]
    public async Task Run_UnknownConversation_IsInvalidAndRecorded()
    {
        var outcome = await RunAsync(new ScriptRunRequest
        {
            Kind = FunctionKind.SidebarWidget, Code = "def get_sidebar_data(context):\n    return 1\n", Conversation = "ZZZZZZ", Trigger = RunTrigger.Sidebar,
        });

        Assert.Equal(ScriptRunStatus.Invalid, outcome.Status);
        Assert.Equal("conversation_not_found", outcome.Result.Error!.Type);
        Assert.Equal("", outcome.ContextJson);
        Assert.Equal(ScriptRunStatus.Invalid, (await StoredRunAsync(outcome.RunId!.Value)).Status);
    }

    [Fact]
    public async Task Run_AnotherTenantsConversation_IsNotFound()
    {
        var conversation = await ConversationAsync();
        var other = await _app.CreateTenantAsync("globex", "globex-home");

        var outcome = await RunAsync(new ScriptRunRequest
        {
            Kind = FunctionKind.SidebarWidget, Code = "def get_sidebar_data(context):\n    return context\n", Conversation = conversation.PublicId,
        }, other.OrganizationId);

        Assert.Equal(ScriptRunStatus.Invalid, outcome.Status);
        Assert.Null(outcome.Result.Result);
    }

    [Fact]
    public async Task Run_OrganizationSecrets_AreAvailableAndMaskedInTheRecord()
    {
        var conversation = await ConversationAsync();
        await using (var scope = _app.ScopeFor(_tenant.OrganizationId))
            await scope.Get<ScriptSecretService>().SetAsync("CRM_API_KEY", "crm-secret-value-123");

        var outcome = await RunAsync(new ScriptRunRequest
        {
            Kind = FunctionKind.SidebarWidget,
            Code = "def get_sidebar_data(context):\n    key = get_secret('CRM_API_KEY')\n    print('key is', key)\n    return {'len': len(key), 'key': key}\n",
            Conversation = conversation.PublicId,
        });

        Assert.True(outcome.Succeeded, outcome.Result.Error?.Message);
        Assert.Equal(20, (int?)outcome.Result.Result!["len"]);
        Assert.Equal("••••", (string?)outcome.Result.Result!["key"]);
        var run = await StoredRunAsync(outcome.RunId!.Value);
        Assert.Equal("key is ••••\n", run.Stdout);
        Assert.DoesNotContain("crm-secret-value-123", run.ResultJson);
    }

    [Fact]
    public async Task Run_Cancelled_IsRecordedAsCancelled()
    {
        var conversation = await ConversationAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await using var scope = _app.ScopeFor(_tenant.OrganizationId);

        var outcome = await scope.Get<ScriptRunner>().RunAsync(new ScriptRunRequest
        {
            Kind = FunctionKind.SidebarWidget, Code = "import time\n\ndef get_sidebar_data(context):\n    time.sleep(30)\n",
            Conversation = conversation.PublicId, Limits = PythonEngineFixture.Limits(),
        }, cts.Token);

        Assert.Equal(ScriptRunStatus.Cancelled, outcome.Status);
        Assert.Equal(ScriptRunStatus.Cancelled, (await StoredRunAsync(outcome.RunId!.Value)).Status);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(condition());
    }
}
