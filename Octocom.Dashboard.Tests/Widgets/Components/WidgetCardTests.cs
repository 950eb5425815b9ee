using System.Text.Json.Nodes;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;
using Octocom.Dashboard.Tests.TestInfrastructure;
using Octocom.Dashboard.Widgets;
using Octocom.Dashboard.Widgets.Components;
using static Octocom.Dashboard.Tests.Widgets.WidgetResults;

namespace Octocom.Dashboard.Tests.Widgets.Components;

public sealed class WidgetCardTests : BunitTestContext
{
    /// <summary>The configured bounds (the "Widgets" section); tests may change them before rendering.</summary>
    private readonly WidgetsOptions _bounds = new();

    public WidgetCardTests() => Services.AddSingleton(Options.Create(_bounds));

    private IRenderedComponent<WidgetCard> RenderCard(WidgetRunOutcome? outcome, string name = "CRM lookup", bool loading = false,
        Action? onRefresh = null) =>
        Render<WidgetCard>(p =>
        {
            p.Add(x => x.Name, name).Add(x => x.Outcome, outcome).Add(x => x.Loading, loading);
            if (onRefresh is not null) p.Add(x => x.OnRefresh, EventCallback.Factory.Create(this, onRefresh));
        });

    private static string State(IRenderedComponent<WidgetCard> cut) => cut.Find("[data-testid=widget-card]").GetAttribute("data-state")!;

    private static IReadOnlyList<IElement> Items(IRenderedComponent<WidgetCard> cut) => cut.FindAll("[data-testid=widget-item]");

    private static bool Expanded(IElement element) => element.GetAttribute("data-expanded") == "true";

    // --- states ----------------------------------------------------------------------------------------------------

    [Fact]
    public void Render_NoOutcomeYet_ShowsTheLoadingSkeletonUnderTheWidgetName()
    {
        var cut = RenderCard(null, loading: true);

        Assert.Equal("loading", State(cut));
        Assert.NotNull(cut.Find("[data-testid=widget-loading] .mud-skeleton"));
        Assert.Equal("CRM lookup", cut.Find("[data-testid=widget-title]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=widget-name]"));
    }

    [Fact]
    public void Render_RefreshingAPreviousOutcome_KeepsItAndShowsProgress()
    {
        var cut = RenderCard(Returned(SeedExamples.Crm()), loading: true);

        Assert.Equal("ok", State(cut));
        Assert.NotNull(cut.Find("[data-testid=widget-refreshing]"));
        Assert.Single(Items(cut));
    }

    [Fact]
    public void Render_OkResult_ShowsTheResultTitleAndTheWidgetName()
    {
        var cut = RenderCard(Returned(SeedExamples.Crm()), name: "crm_lookup");

        Assert.Equal("ok", State(cut));
        Assert.Equal("CRM", cut.Find("[data-testid=widget-title]").TextContent);
        Assert.Equal("crm_lookup", cut.Find("[data-testid=widget-name]").TextContent);
        Assert.Equal("crm_lookup", cut.Find("[data-testid=widget-card]").GetAttribute("data-widget"));
        Assert.Empty(cut.FindAll("[data-testid=widget-refreshing]"));
    }

    [Fact]
    public void Render_EmptyItems_SaysThereIsNothingToShow()
    {
        var cut = RenderCard(Returned(SeedExamples.Empty("Warranties")));

        Assert.Equal("empty", State(cut));
        Assert.Equal("Warranties", cut.Find("[data-testid=widget-title]").TextContent);
        Assert.Equal("Nothing to show for this conversation.", cut.Find("[data-testid=widget-empty]").TextContent);
        Assert.Empty(Items(cut));
    }

    [Fact]
    public void Render_Timeout_ShowsTheStatus()
    {
        var cut = RenderCard(Failed(ScriptRunStatus.Timeout, new ScriptError("TimeoutError", "Exceeded the 5 s limit"), seconds: 5));

        Assert.Equal("error", State(cut));
        Assert.Equal("timeout", cut.Find("[data-testid=widget-error]").GetAttribute("data-status"));
        Assert.Equal("Timed out after 5 s", cut.Find("[data-testid=widget-error-headline]").TextContent);
        Assert.Equal("TimeoutError: Exceeded the 5 s limit", cut.Find("[data-testid=widget-error-message]").TextContent);
    }

    [Fact]
    public void Render_ScriptRaised_ShowsTheErrorWithItsLineAndTheTracebackOnDemand()
    {
        var error = new ScriptError("KeyError", "'email'", "Traceback (most recent call last):\n  File \"CRM.py\", line 12", Line: 12);
        var cut = RenderCard(Failed(ScriptRunStatus.Error, error));

        Assert.Equal("The widget's script failed", cut.Find("[data-testid=widget-error-headline]").TextContent);
        Assert.Equal("KeyError: 'email' (line 12)", cut.Find("[data-testid=widget-error-message]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=widget-traceback]"));
        cut.Find("[data-testid=widget-traceback-toggle]").Click();
        Assert.Contains("line 12", cut.Find("[data-testid=widget-traceback]").TextContent);
    }

    [Fact]
    public void Render_EngineUnavailable_SaysScriptsCannotRun()
    {
        var cut = RenderCard(Failed(ScriptRunStatus.Unavailable, new ScriptError("", "python3 is not installed")));
        Assert.Equal("Scripts cannot run on this server", cut.Find("[data-testid=widget-error-headline]").TextContent);
        Assert.Equal("python3 is not installed", cut.Find("[data-testid=widget-error-message]").TextContent);
    }

    // --- refresh ---------------------------------------------------------------------------------------------------

    [Fact]
    public void Refresh_Click_InvokesTheCallback()
    {
        var refreshed = 0;
        var cut = RenderCard(Returned(SeedExamples.Crm()), onRefresh: () => refreshed++);

        cut.Find("[data-testid=widget-refresh]").Click();

        Assert.Equal(1, refreshed);
        Assert.Equal("Refresh CRM lookup", cut.Find("[data-testid=widget-refresh]").GetAttribute("aria-label"));
    }

    [Fact]
    public void Render_WhileLoading_DisablesRefresh() =>
        Assert.True(RenderCard(null, loading: true, onRefresh: () => { }).Find("[data-testid=widget-refresh]").HasAttribute("disabled"));

    [Fact]
    public void Render_NoRefreshCallback_HasNoRefreshButton() =>
        Assert.Empty(RenderCard(Returned(SeedExamples.Crm())).FindAll("[data-testid=widget-refresh]"));

    // --- every field of the format ---------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(SeedExamples.Names), MemberType = typeof(SeedExamples))]
    public void Render_SeedExample_ShowsEveryItemWithoutWarnings(string name)
    {
        var json = SeedExamples.ByName(name);
        var cut = RenderCard(Returned(json));

        Assert.Equal("ok", State(cut));
        Assert.Equal(json["items"]!.AsArray().Count, Items(cut).Count);
        Assert.Empty(cut.FindAll("[data-testid=widget-warnings]"));
    }

    [Fact]
    public void Render_Crm_ShowsTitleSubtitleBadgeSectionsAndFields()
    {
        var cut = RenderCard(Returned(SeedExamples.Crm()));

        Assert.Equal("Jane Doe", cut.Find("[data-testid=widget-item-title]").TextContent.Trim());
        Assert.Equal("jane@example.com", cut.Find("[data-testid=widget-item-subtitle]").TextContent.Trim());
        var badge = cut.Find("[data-testid=widget-badge]");
        Assert.Equal("Premium", badge.TextContent.Trim());
        Assert.Equal("green", badge.GetAttribute("data-color"));
        Assert.Equal("Account details", cut.Find("[data-testid=widget-section-title]").TextContent);
        Assert.Equal(["Account ID", "Tier", "Lifetime value", "Member since"], cut.FindAll("[data-testid=widget-field-key]").Select(e => e.TextContent));
        Assert.Equal(["ACC-1042", "Premium", "$1234.5", "2021-03-14"], cut.FindAll("[data-testid=widget-field-value]").Select(e => e.TextContent.Trim()));
    }

    [Fact]
    public void Render_ItemLink_MakesTheTitleALinkOpeningInANewTab()
    {
        var cut = RenderCard(Returned(WithItem("""{"title": "Jane Doe", "link": "https://crm.example.com/c/42", "sections": []}""")));

        var link = cut.Find("a[data-testid=widget-item-title]");
        Assert.Equal("https://crm.example.com/c/42", link.GetAttribute("href"));
        Assert.Equal("_blank", link.GetAttribute("target"));
        Assert.Equal("noopener noreferrer", link.GetAttribute("rel"));
        Assert.Equal("Jane Doe", link.TextContent.Trim());
    }

    [Fact]
    public void Render_ItemWithoutLink_TitleIsText() =>
        Assert.Equal("SPAN", RenderCard(Returned(SeedExamples.Crm())).Find("[data-testid=widget-item-title]").TagName);

    [Fact]
    public void Render_Actions_AreButtonsOpeningInANewTab()
    {
        var cut = RenderCard(Returned(WithItem("""
            {"title": "a", "sections": [], "actions": [
              {"label": "View in ERP", "link": "https://erp.example.com/accounts/W-77"},
              {"label": "Email", "link": "mailto:ops@example.com"},
              {"label": "Call back"}]}
            """)));

        var actions = cut.FindAll("[data-testid=widget-action]");
        Assert.Equal(["View in ERP", "Email", "Call back"], actions.Select(a => a.TextContent.Trim()));
        Assert.Equal("A", actions[0].TagName);
        Assert.Equal("https://erp.example.com/accounts/W-77", actions[0].GetAttribute("href"));
        Assert.Equal("_blank", actions[0].GetAttribute("target"));
        Assert.Equal("noopener noreferrer", actions[0].GetAttribute("rel"));
        Assert.Equal("mailto:ops@example.com", actions[1].GetAttribute("href"));
        Assert.Equal("BUTTON", actions[2].TagName);
        Assert.True(actions[2].HasAttribute("disabled"));
    }

    [Theory]
    [InlineData("blue", "info")]
    [InlineData("green", "success")]
    [InlineData("red", "error")]
    [InlineData("yellow", "warning")]
    [InlineData("gray", "default")]
    public void Render_BadgeColour_MapsToTheThemeColour(string color, string themeColor)
    {
        var cut = RenderCard(Returned(WithItem($$"""{"title": "a", "badge": {"text": "Status", "color": "{{color}}"}, "sections": []}""")));

        var badge = cut.Find("[data-testid=widget-badge]");
        Assert.Equal(color, badge.GetAttribute("data-color"));
        Assert.Contains($"mud-chip-color-{themeColor}", badge.ClassList);
    }

    [Fact]
    public void Render_BadgeWithoutColour_IsGray()
    {
        var cut = RenderCard(Returned(WithItem("""{"title": "a", "badge": {"text": "Status"}, "sections": []}""")));
        Assert.Equal("gray", cut.Find("[data-testid=widget-badge]").GetAttribute("data-color"));
    }

    // --- collapsing ------------------------------------------------------------------------------------------------

    [Fact]
    public void Render_CollapsibleItems_FirstStartsOpenTheOthersCollapsed()
    {
        var cut = RenderCard(Returned(SeedExamples.Warranties()));

        var items = Items(cut);
        Assert.All(items, i => Assert.Equal("true", i.GetAttribute("data-collapsible")));
        Assert.True(Expanded(items[0]));
        Assert.False(Expanded(items[1]));
        Assert.Null(items[1].QuerySelector("[data-testid=widget-item-body]"));
        Assert.Equal("Active", items[0].QuerySelector("[data-testid=widget-badge]")!.TextContent.Trim());
        Assert.Equal("Expired", items[1].QuerySelector("[data-testid=widget-badge]")!.TextContent.Trim());   // the header stays visible
    }

    [Fact]
    public void Toggle_CollapsedItem_OpensAndClosesIt()
    {
        var cut = RenderCard(Returned(SeedExamples.Warranties()));

        Items(cut)[1].QuerySelector("[data-testid=widget-item-toggle]")!.Click();
        Assert.True(Expanded(Items(cut)[1]));
        Assert.Contains("2-year limited", Items(cut)[1].QuerySelector("[data-testid=widget-item-body]")!.TextContent);

        Items(cut)[1].QuerySelector("[data-testid=widget-item-toggle]")!.Click();
        Assert.False(Expanded(Items(cut)[1]));
    }

    [Fact]
    public void Render_NonCollapsibleItem_IsAlwaysOpenWithoutAToggle()
    {
        var cut = RenderCard(Returned("""
            {"title": "W", "items": [
              {"title": "first", "sections": []},
              {"title": "pinned", "collapsible": false, "sections": [{"title": "S", "fields": {"k": "visible"}}]}]}
            """));

        var pinned = Items(cut)[1];
        Assert.Equal("false", pinned.GetAttribute("data-collapsible"));
        Assert.True(Expanded(pinned));
        Assert.Null(pinned.QuerySelector("[data-testid=widget-item-toggle]"));
        Assert.Contains("visible", pinned.TextContent);
    }

    [Fact]
    public void Render_SectionByDefault_IsOpenWithoutAToggle()
    {
        var section = RenderCard(Returned(SeedExamples.Crm())).Find("[data-testid=widget-section]");

        Assert.Equal("false", section.GetAttribute("data-collapsible"));
        Assert.True(Expanded(section));
        Assert.Null(section.QuerySelector("[data-testid=widget-section-toggle]"));
    }

    [Fact]
    public void Render_CollapsibleSection_StartsCollapsedAndOpensOnClick()
    {
        var cut = RenderCard(Returned(SeedExamples.Subscriptions()));
        IElement Usage() => cut.FindAll("[data-testid=widget-section]")[1];

        Assert.Equal("Usage", Usage().QuerySelector("[data-testid=widget-section-title]")!.TextContent);
        Assert.Equal("true", Usage().GetAttribute("data-collapsible"));
        Assert.False(Expanded(Usage()));
        Assert.DoesNotContain("8200 / 10000", Usage().TextContent);

        Usage().QuerySelector("[data-testid=widget-section-toggle]")!.Click();

        Assert.True(Expanded(Usage()));
        Assert.Contains("8200 / 10000", Usage().TextContent);
    }

    // --- unsafe links ----------------------------------------------------------------------------------------------

    [Fact]
    public void Render_UnsafeItemLink_IsPlainTextAndFlagged()
    {
        var cut = RenderCard(Returned(WithItem("""{"title": "Jane", "link": "javascript:alert(document.cookie)", "sections": []}""")));

        Assert.Equal("ok", State(cut));
        Assert.Equal("SPAN", cut.Find("[data-testid=widget-item-title]").TagName);
        Assert.Empty(cut.FindAll("a[href*='javascript']"));
        Assert.NotNull(cut.Find("[data-testid=widget-unsafe-link]"));
        var warning = cut.Find("[data-testid=widget-warnings] [data-testid=widget-problem]");
        Assert.Equal("items[0].link", warning.GetAttribute("data-path"));
        Assert.Contains("'javascript:alert(document.cookie)' is not a safe link", warning.TextContent);
    }

    [Fact]
    public void Render_UnsafeActionLink_IsADisabledButtonAndFlagged()
    {
        var cut = RenderCard(Returned(WithItem("""{"title": "a", "sections": [], "actions": [{"label": "Run", "link": "javascript:run()"}]}""")));

        var action = cut.Find("[data-testid=widget-action]");
        Assert.Equal("BUTTON", action.TagName);
        Assert.True(action.HasAttribute("disabled"));
        Assert.False(action.HasAttribute("href"));
        Assert.Empty(cut.FindAll("[href*='javascript']"));
        Assert.Equal("items[0].actions[0].link", cut.Find("[data-testid=widget-warnings] [data-testid=widget-problem]").GetAttribute("data-path"));
    }

    // --- field values ----------------------------------------------------------------------------------------------

    [Fact]
    public void Render_FieldValues_AreTextNeverHtml()
    {
        var cut = RenderCard(Returned(WithSection("""
            {"title": "S", "fields": {
              "html": "<b>bold</b><script>alert(1)</script>",
              "number": 1234.5, "flag": true, "none": null,
              "nested": {"sku": "A-1", "qty": [1, 2]},
              "multiline": "line one\nline two"}}
            """)));

        var values = cut.FindAll("[data-testid=widget-field-value]");
        Assert.Equal("<b>bold</b><script>alert(1)</script>", values[0].TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=widget-fields] b, [data-testid=widget-fields] script"));
        Assert.Equal("1234.5", values[1].TextContent.Trim());
        Assert.Equal("Yes", values[2].TextContent.Trim());
        Assert.Equal("—", values[3].TextContent.Trim());
        Assert.Equal("""{"sku":"A-1","qty":[1,2]}""", values[4].QuerySelector("[data-testid=widget-field-json]")!.TextContent);
        Assert.Equal("line one\nline two", values[5].TextContent.Trim());
    }

    [Fact]
    public void Render_LongValue_IsCutWithAMarkerAndAWarning()
    {
        _bounds.MaxValueLength = 100;
        var cut = RenderCard(Returned(WithSection("{\"title\": \"S\", \"fields\": {\"Notes\": \"" + new string('x', 100) + "THE-END\"}}"), _bounds));

        var value = cut.Find("[data-testid=widget-field-value]");
        Assert.DoesNotContain("THE-END", value.TextContent);
        Assert.Equal("… [107 characters, first 100 shown]", value.QuerySelector("[data-testid=widget-truncated]")!.TextContent);
        Assert.Equal("items[0].sections[0].fields[\"Notes\"]", cut.Find("[data-testid=widget-warnings] [data-testid=widget-problem]").GetAttribute("data-path"));
    }

    [Fact]
    public void Render_LongTitle_IsCutWithAMarker()
    {
        _bounds.MaxTextLength = 20;
        var cut = RenderCard(Returned(WithItem($$"""{"title": "{{new string('t', 20)}}HIDDEN", "sections": []}"""), _bounds));

        var title = cut.Find("[data-testid=widget-item-title]");
        Assert.DoesNotContain("HIDDEN", title.TextContent);
        Assert.NotNull(title.QuerySelector("[data-testid=widget-truncated]"));
    }

    // --- bounds ----------------------------------------------------------------------------------------------------

    [Fact]
    public void Render_MoreItemsThanTheBound_ShowsTheFirstTwentyAndHowManyMore()
    {
        var items = string.Join(", ", Enumerable.Range(1, 25).Select(i => $$"""{"title": "Order #{{i}}", "sections": []}"""));
        var cut = RenderCard(Returned($$"""{"title": "Orders", "items": [{{items}}]}"""));

        Assert.Equal(20, Items(cut).Count);
        Assert.Equal("Order #20", Items(cut)[^1].QuerySelector("[data-testid=widget-item-title]")!.TextContent.Trim());
        Assert.Equal("5 more items not shown", cut.Find("[data-testid=widget-items-more]").TextContent);
        Assert.Equal("items", cut.Find("[data-testid=widget-warnings] [data-testid=widget-problem]").GetAttribute("data-path"));
    }

    [Fact]
    public void Render_MoreFieldsSectionsAndActionsThanTheBounds_CountsWhatIsLeftOut()
    {
        _bounds.MaxFieldsPerSection = 2;
        _bounds.MaxSectionsPerItem = 1;
        _bounds.MaxActionsPerItem = 1;
        var cut = RenderCard(Returned(WithItem("""
            {"title": "a",
             "sections": [{"title": "S1", "fields": {"a": 1, "b": 2, "c": 3, "d": 4}}, {"title": "S2", "fields": {}}],
             "actions": [{"label": "One", "link": "https://x.example/1"}, {"label": "Two", "link": "https://x.example/2"}]}
            """), _bounds));

        Assert.Single(cut.FindAll("[data-testid=widget-section]"));
        Assert.Equal(2, cut.FindAll("[data-testid=widget-field-key]").Count);
        Assert.Equal("2 more fields not shown", cut.Find("[data-testid=widget-fields-more]").TextContent);
        Assert.Equal("1 more sections not shown", cut.Find("[data-testid=widget-sections-more]").TextContent);
        Assert.Single(cut.FindAll("[data-testid=widget-action]"));
        Assert.Equal("1 more actions not shown", cut.Find("[data-testid=widget-actions-more]").TextContent);
        Assert.Equal(3, cut.FindAll("[data-testid=widget-warnings] [data-testid=widget-problem]").Count);
    }

    // --- the error card --------------------------------------------------------------------------------------------

    [Fact]
    public void Render_InvalidResult_ListsEveryProblemWithItsPathAndKeepsTheRawResult()
    {
        var cut = RenderCard(Returned("""
            {"title": "CRM", "items": [
              {"title": "a", "sections": []},
              {"title": "b", "sections": []},
              {"title": "c", "badge": {"text": "VIP", "color": "purple"}, "sections": [{"title": "S", "fields": ["x"]}]},
              {"sections": [], "link": "javascript:x"}]}
            """));

        Assert.Equal("invalid", State(cut));
        Assert.Contains("3 problems", cut.Find("[data-testid=widget-invalid]").TextContent);
        Assert.Empty(Items(cut));
        var problems = cut.FindAll("[data-testid=widget-problem]");
        Assert.Equal(["items[2].badge.color", "items[2].sections[0].fields", "items[3].title", "items[3].link"],
            problems.Select(p => p.GetAttribute("data-path")));
        Assert.Equal(["error", "error", "error", "warning"], problems.Select(p => p.GetAttribute("data-severity")));
        Assert.Equal("items[3].link", cut.Find("[data-testid=widget-warnings] [data-testid=widget-problem]").GetAttribute("data-path"));
        Assert.Equal("items[2].badge.color: 'purple' is not one of blue, green, red, yellow, gray", problems[0].TextContent.Trim());

        Assert.Empty(cut.FindAll("[data-testid=widget-raw-json]"));
        cut.Find("[data-testid=widget-raw-toggle]").Click();
        var raw = cut.Find("[data-testid=widget-raw-json]").TextContent;
        Assert.Contains("\n", raw);
        Assert.Contains("\"color\": \"purple\"", raw);
    }

    [Fact]
    public void Render_ReturnedNone_ShowsTheErrorCardUnderTheWidgetName()
    {
        var cut = RenderCard(Returned((JsonNode?)null), name: "crm_lookup");

        Assert.Equal("invalid", State(cut));
        Assert.Equal("crm_lookup", cut.Find("[data-testid=widget-title]").TextContent);
        Assert.Equal("result", cut.Find("[data-testid=widget-problem]").GetAttribute("data-path"));
        cut.Find("[data-testid=widget-raw-toggle]").Click();
        Assert.Equal("null", cut.Find("[data-testid=widget-raw-json]").TextContent);
    }
}
