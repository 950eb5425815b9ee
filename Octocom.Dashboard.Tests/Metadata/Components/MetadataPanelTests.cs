using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Metadata;
using Octocom.Dashboard.Metadata.Components;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Metadata.Components;

public sealed class MetadataPanelTests : TenantBunitTestContext
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Services.AddSingleton(Scope.Get<MetadataService>());
    }

    private static ConversationMetadata Pair(string key, string value) => new() { Key = key, Value = value };

    [Fact]
    public void Render_GroupsChatWidgetKeysSeparately()
    {
        var cut = Render<MetadataPanel>(p => p.Add(x => x.Metadata,
            [Pair("chat-widget:plan", "enterprise"), Pair("priority", "high"), Pair("chat-widget:utm_source", "newsletter")]));

        Assert.NotNull(cut.Find("[data-testid=metadata-group-chat-widget]"));
        Assert.NotNull(cut.Find("[data-testid=metadata-group-other]"));
        var keys = cut.FindAll("[data-testid=metadata-key]").Select(k => k.GetAttribute("data-key")).ToList();
        Assert.Equal(["chat-widget:plan", "chat-widget:utm_source", "priority"], keys);
        Assert.Equal("plan", cut.Find("[data-key='chat-widget:plan'][data-testid=metadata-key]").TextContent);
        Assert.Contains("enterprise", cut.Find("[data-key='chat-widget:plan'][data-testid=metadata-value]").TextContent);
    }

    [Fact]
    public void Render_JsonValue_IsPrettyPrintedWhenExpanded()
    {
        var cut = Render<MetadataPanel>(p => p.Add(x => x.Metadata,
            [Pair("chat-widget:recent_orders", """[{"id":"ORD-001","total":59.99}]""")]));

        Assert.NotNull(cut.Find("[data-testid=metadata-json]"));
        cut.Find("[data-testid=metadata-toggle]").Click();
        var pretty = cut.Find("pre").TextContent;
        Assert.Contains("\n", pretty);
        Assert.Contains("\"id\": \"ORD-001\"", pretty);
    }

    [Fact]
    public void Render_LongValue_IsCollapsedUntilExpanded()
    {
        var longValue = string.Concat(Enumerable.Repeat("lorem ipsum ", 40)) + "THE-END";
        var cut = Render<MetadataPanel>(p => p.Add(x => x.Metadata, [Pair("notes", longValue)]));

        Assert.DoesNotContain("THE-END", cut.Find("[data-testid=metadata-value]").TextContent);
        cut.Find("[data-testid=metadata-toggle]").Click();
        Assert.Contains("THE-END", cut.Find("[data-testid=metadata-value]").TextContent);
    }

    [Fact]
    public void Render_ReadOnly_HasNoEditControls()
    {
        var cut = Render<MetadataPanel>(p => p.Add(x => x.Metadata, [Pair("priority", "high")]).Add(x => x.CanEdit, false));
        Assert.Empty(cut.FindAll("[data-testid=metadata-add]"));
        Assert.Empty(cut.FindAll("button[aria-label='Edit priority']"));
    }

    [Fact]
    public void Render_Editable_ChatWidgetKeysHaveNoEditButtons()
    {
        var cut = Render<MetadataPanel>(p => p.Add(x => x.Metadata, [Pair("chat-widget:plan", "pro"), Pair("priority", "high")]).Add(x => x.CanEdit, true));
        Assert.NotEmpty(cut.FindAll("button[aria-label='Edit priority']"));
        Assert.Empty(cut.FindAll("button[aria-label='Edit chat-widget:plan']"));
    }

    [Fact]
    public async Task Save_OversizedKey_ShowsTheLimitAndStoresNothing()
    {
        var conversation = await App.CreateConversationAsync(Tenant);
        var cut = Render<MetadataPanel>(p => p.Add(x => x.Metadata, []).Add(x => x.ConversationId, conversation.Id).Add(x => x.CanEdit, true));

        cut.Find("[data-testid=metadata-add]").Click();
        cut.Find("input[data-testid=metadata-edit-key]").Input(new string('k', 201));
        cut.Find("textarea[data-testid=metadata-edit-value]").Change("v");
        cut.Find("[data-testid=metadata-save]").Click();

        cut.WaitForAssertion(() => Assert.Contains("the limit is 200", cut.Find("[data-testid=metadata-error]").TextContent));
        Assert.Empty(await Scope.Get<MetadataService>().GetAsync(conversation.Id));
    }
}
