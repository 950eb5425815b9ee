using Octocom.Dashboard.Scripting;

namespace Octocom.Dashboard.Tests.Scripting;

/// <summary>The seed-004 helpers inside a real worker (no LLM or Sheets endpoint configured here).</summary>
[Collection(PythonEngineCollection.Name)]
public sealed class EngineHelperTests(PythonEngineFixture engine)
{
    private static readonly Dictionary<string, string> Stored = new() { ["plan"] = "basic", ["chat-widget:cart"] = "3 items" };

    [Fact]
    public async Task Metadata_GetSeesEarlierSetsAndDeletesOfTheSameRun()
    {
        var result = await engine.RunAsync("""
            def handle_event(context):
                seen = [get_conversation_metadata(context, 'plan'), get_conversation_metadata(context, 'chat-widget:cart')]
                set_conversation_metadata(context, 'plan', 'gold')
                seen.append(get_conversation_metadata(context, 'plan'))
                delete_conversation_metadata(context, 'plan')
                seen.append(get_conversation_metadata(context, 'plan'))
                set_conversation_metadata(context, 'score', 4.5)
                set_conversation_metadata(context, 'vip', True)
                set_conversation_metadata(context, 'orders', [1, 2])
                seen.append(get_conversation_metadata(context, 'missing'))
                return seen
            """, kind: FunctionKind.EventHandler, metadata: Stored);

        Assert.Equal(ScriptRunStatus.Ok, result.Status);
        Assert.Equal("[\"basic\",\"3 items\",\"gold\",null,null]", result.Result!.ToJsonString());
        Assert.Equal(
            [("plan", "gold"), ("plan", null), ("score", "4.5"), ("vip", "true"), ("orders", "[1, 2]")],
            result.Effects.Metadata.Select(m => (m.Key, m.Value)).ToArray());
    }

    [Fact]
    public async Task Effects_TagsAndEvents_AreRecordedInOrder()
    {
        var result = await engine.RunAsync("""
            def handle_event(context):
                add_conversation_tag(context, 'VIP')
                add_conversation_event(context, 'Synced to CRM')
                add_conversation_event(context, {'type': 'crm_synced', 'description': 'Account 42', 'data': {'account': 42}})
                return {'status': 'synced'}
            """, kind: FunctionKind.EventHandler);

        Assert.Equal(ScriptRunStatus.Ok, result.Status);
        Assert.Equal(["VIP"], result.Effects.Tags);
        Assert.Equal(2, result.Effects.Events.Count);
        Assert.Equal(("script_event", "Synced to CRM"), (result.Effects.Events[0].Type, result.Effects.Events[0].Description));
        Assert.Equal(("crm_synced", "Account 42", "{\"account\":42}"),
            (result.Effects.Events[1].Type, result.Effects.Events[1].Description, result.Effects.Events[1].Data!.ToJsonString()));
    }

    [Fact]
    public async Task SetMetadata_ChatWidgetKey_RaisesAtTheCallingLine()
    {
        var result = await engine.RunAsync(
            "def handle_event(context):\n    set_conversation_metadata(context, 'chat-widget:cart', 'x')\n",
            kind: FunctionKind.EventHandler);

        Assert.Equal(ScriptRunStatus.Error, result.Status);
        Assert.Equal("ValueError", result.Error!.Type);
        Assert.Contains("read-only", result.Error.Message);
        Assert.Equal(2, result.Error.Line);
    }

    [Fact]
    public async Task SetMetadata_ValueOverTheLimit_RaisesNamingTheLimit()
    {
        var result = await engine.RunAsync(
            "def handle_event(context):\n    set_conversation_metadata(context, 'notes', 'x' * 50001)\n",
            kind: FunctionKind.EventHandler);

        Assert.Equal(ScriptRunStatus.Error, result.Status);
        Assert.Contains("50,001 characters; the limit is 50,000", result.Error!.Message);
    }

    [Fact]
    public async Task Helpers_WithoutAConversation_RaiseAClearError()
    {
        var context = PythonEngineFixture.SampleContext();
        context["conversation"] = null;
        context["args"] = new System.Text.Json.Nodes.JsonObject();

        var result = await engine.RunAsync("def execute_action(context):\n    add_conversation_tag(context, 'x')\n",
            kind: FunctionKind.CustomAction, context: context);

        Assert.Equal(ScriptRunStatus.Error, result.Status);
        Assert.Equal("HelperError", result.Error!.Type);
        Assert.Contains("needs a conversation", result.Error.Message);
    }

    [Theory]
    [InlineData("US", null, "2026-07-04", true)]
    [InlineData("US", null, "2026-07-06", false)]
    [InlineData("GB", null, "2026-12-25", true)]
    [InlineData("GB", null, "2026-07-04", false)]
    [InlineData("DE", null, "2026-10-03", true)]
    [InlineData("DE", null, "2026-01-06", false)]
    [InlineData("DE", "BY", "2026-01-06", true)]
    [InlineData("FR", null, "2026-07-14", true)]
    [InlineData("FR", null, "2026-07-15", false)]
    public async Task IsHoliday_KnownCountries_WorksOffline(string country, string? state, string date, bool expected)
    {
        var stateArg = state is null ? "None" : $"'{state}'";
        var result = await engine.RunAsync(
            $"import datetime\n\ndef get_sidebar_data(context):\n    return [is_holiday('{country}', {stateArg}, check_date='{date}'), " +
            $"is_holiday('{country}', state={stateArg}, check_date=datetime.date.fromisoformat('{date}'))]\n");

        Assert.True(result.Status == ScriptRunStatus.Ok, result.Error?.Message);
        Assert.Equal(expected ? "[true,true]" : "[false,false]", result.Result!.ToJsonString());
    }

    [Fact]
    public async Task IsHoliday_UnknownCountry_RaisesValueError()
    {
        var result = await engine.RunAsync("def get_sidebar_data(context):\n    return is_holiday('XX')\n");

        Assert.Equal(ScriptRunStatus.Error, result.Status);
        Assert.Equal("ValueError", result.Error!.Type);
        Assert.Contains("unknown country 'XX'", result.Error.Message);
    }

    [Fact]
    public async Task ListPredefinedFunctions_NamesEverySeedHelper()
    {
        var result = await engine.RunAsync("def get_sidebar_data(context):\n    return [f['name'] for f in list_predefined_functions()]\n");

        Assert.Equal(ScriptRunStatus.Ok, result.Status);
        var names = result.Result!.AsArray().Select(n => (string?)n).ToHashSet();
        foreach (var helper in new[]
                 {
                     "add_conversation_tag", "set_conversation_metadata", "get_conversation_metadata", "delete_conversation_metadata",
                     "add_conversation_event", "llm_classify_binary", "llm_classify_category", "add_google_sheets_row", "is_holiday",
                     "list_predefined_functions", "get_secret",
                 })
            Assert.Contains(helper, names);
    }

    [Fact]
    public async Task Llm_NotConfigured_ReturnsTheFallback()
    {
        var result = await engine.RunAsync(
            "def get_sidebar_data(context):\n    return [llm_classify_binary('Is this a refund?', 'I want my money back', fallback=False), " +
            "llm_classify_category('Topic?', 'hi', ['billing', 'shipping'], fallback='other')]\n");

        Assert.Equal(ScriptRunStatus.Ok, result.Status);
        Assert.Equal("[false,\"other\"]", result.Result!.ToJsonString());
    }

    [Fact]
    public async Task Llm_NotConfiguredWithoutFallback_RaisesNamingTheSetting()
    {
        var result = await engine.RunAsync("def get_sidebar_data(context):\n    return llm_classify_binary('Refund?', 'text')\n");

        Assert.Equal(ScriptRunStatus.Error, result.Status);
        Assert.Equal("HelperError", result.Error!.Type);
        Assert.Contains("Scripting:Llm:Endpoint", result.Error.Message);
        Assert.Equal(2, result.Error.Line);
    }

    [Fact]
    public async Task Sheets_NotConfigured_RaisesNamingTheSetting()
    {
        var result = await engine.RunAsync("def handle_event(context):\n    add_google_sheets_row('sheet-1', {'a': 1})\n",
            kind: FunctionKind.EventHandler);

        Assert.Equal(ScriptRunStatus.Error, result.Status);
        Assert.Contains("Scripting:Sheets:Endpoint", result.Error!.Message);
    }
}
