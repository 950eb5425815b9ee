using System.Text.Json.Nodes;
using Octocom.Dashboard.Widgets;
using static Octocom.Dashboard.Tests.Widgets.WidgetResults;

namespace Octocom.Dashboard.Tests.Widgets;

/// <summary>One test per rule of the seed 002 format, plus the seed's own examples and a result with many problems.</summary>
public sealed class WidgetResultValidatorTests
{
    private static void AssertOnly(CheckedWidgetResult result, WidgetProblemSeverity severity, string path, string message)
    {
        var problem = Assert.Single(result.Problems);
        Assert.Equal(path, problem.Path);
        Assert.Equal(message, problem.Message);
        Assert.Equal(severity, problem.Severity);
    }

    private static void AssertOnlyError(string json, string path, string message)
    {
        var result = Check(json);
        AssertOnly(result, WidgetProblemSeverity.Error, path, message);
        Assert.False(result.IsValid);
    }

    private static void AssertOnlyWarning(string json, string path, string message, WidgetsOptions? bounds = null)
    {
        var result = Check(json, bounds);
        AssertOnly(result, WidgetProblemSeverity.Warning, path, message);
        Assert.True(result.IsValid);
    }

    // --- the seed's examples -------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(SeedExamples.Names), MemberType = typeof(SeedExamples))]
    public void Validate_SeedExample_HasNoProblems(string name)
    {
        var result = Check(SeedExamples.ByName(name));
        Assert.Empty(result.Problems);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Validate_EmptyItems_IsValid() => Assert.Empty(Check(SeedExamples.Empty()).Problems);

    // --- the result itself -----------------------------------------------------------------------------------------

    [Fact]
    public void Validate_ReturnedNone_SaysTheFunctionReturnedNone() =>
        AssertOnly(Check((JsonNode?)null), WidgetProblemSeverity.Error, "result",
            "get_sidebar_data returned None; it must return a dict with \"title\" and \"items\"");

    [Theory]
    [InlineData("[1, 2]", "a list")]
    [InlineData("\"CRM\"", "a string")]
    [InlineData("42", "a number")]
    public void Validate_ResultNotADict_IsAnError(string json, string described) =>
        AssertOnlyError(json, "result", $"must be a dict with \"title\" and \"items\", not {described}");

    [Fact]
    public void Validate_UnknownTopLevelKey_IsAWarning() =>
        AssertOnlyWarning("""{"title": "W", "items": [], "itmes": []}""", "itmes", "unknown property, ignored (expected title, items)");

    // --- title -----------------------------------------------------------------------------------------------------

    [Fact]
    public void Validate_TitleMissing_IsAnError() => AssertOnlyError("""{"items": []}""", "title", "is required (a string)");

    [Fact]
    public void Validate_TitleNone_IsAnError() => AssertOnlyError("""{"title": null, "items": []}""", "title", "is required (a string)");

    [Fact]
    public void Validate_TitleNotAString_IsAnError() => AssertOnlyError("""{"title": 42, "items": []}""", "title", "must be a string, not a number");

    [Fact]
    public void Validate_TitleBlank_IsAnError() => AssertOnlyError("""{"title": "  ", "items": []}""", "title", "must not be empty");

    [Fact]
    public void Validate_TitleOverTextBound_IsAWarning() =>
        AssertOnlyWarning($$"""{"title": "{{new string('t', 25)}}", "items": []}""", "title", "is 25 characters; the card shows the first 20",
            new WidgetsOptions { MaxTextLength = 20 });

    // --- items -----------------------------------------------------------------------------------------------------

    [Fact]
    public void Validate_ItemsMissing_IsAnError() => AssertOnlyError("""{"title": "W"}""", "items", "is required (a list)");

    [Fact]
    public void Validate_ItemsADict_IsAnError() => AssertOnlyError("""{"title": "W", "items": {"title": "x"}}""", "items", "must be a list, not a dict");

    [Fact]
    public void Validate_ItemNotADict_IsAnErrorAtItsIndex() =>
        AssertOnlyError("""{"title": "W", "items": [{"title": "a", "sections": []}, "b"]}""", "items[1]", "must be a dict, not a string");

    [Fact]
    public void Validate_MoreItemsThanTheBound_IsAWarning()
    {
        var items = string.Join(", ", Enumerable.Range(1, 25).Select(i => $$"""{"title": "#{{i}}", "sections": []}"""));
        AssertOnlyWarning($$"""{"title": "W", "items": [{{items}}]}""", "items", "25 items; the card shows the first 20");
    }

    // --- item ------------------------------------------------------------------------------------------------------

    [Fact]
    public void Validate_ItemTitleMissing_IsAnError() => AssertOnlyError(WithItem("""{"sections": []}"""), "items[0].title", "is required (a string)");

    [Fact]
    public void Validate_ItemTitleNotAString_IsAnError() =>
        AssertOnlyError(WithItem("""{"title": ["a"], "sections": []}"""), "items[0].title", "must be a string, not a list");

    [Fact]
    public void Validate_ItemSubtitleNotAString_IsAnError() =>
        AssertOnlyError(WithItem("""{"title": "a", "subtitle": 3, "sections": []}"""), "items[0].subtitle", "must be a string, not a number");

    [Fact]
    public void Validate_OptionalValuesNone_AreTreatedAsAbsent() =>
        Assert.Empty(Check(WithItem("""{"title": "a", "subtitle": null, "link": null, "badge": null, "actions": null, "collapsible": null, "sections": []}""")).Problems);

    [Fact]
    public void Validate_ItemLinkNotAString_IsAnError() =>
        AssertOnlyError(WithItem("""{"title": "a", "link": {"href": "x"}, "sections": []}"""), "items[0].link", "must be a string, not a dict");

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<b>x</b>")]
    [InlineData("/relative/path")]
    [InlineData("ftp://files.example.com")]
    public void Validate_ItemLinkUnsafe_IsFlaggedAsAWarning(string link) =>
        AssertOnlyWarning(WithItem($$"""{"title": "a", "link": "{{link}}", "sections": []}"""), "items[0].link",
            $"'{link}' is not a safe link and is shown as plain text (only http, https and mailto links open)");

    [Theory]
    [InlineData("https://crm.example.com/c/1")]
    [InlineData("http://crm.example.com/c/1")]
    [InlineData("mailto:jane@example.com")]
    [InlineData("")]
    public void Validate_ItemLinkSafeOrEmpty_HasNoProblems(string link) =>
        Assert.Empty(Check(WithItem($$"""{"title": "a", "link": "{{link}}", "sections": []}""")).Problems);

    [Fact]
    public void Validate_ItemCollapsibleNotABool_IsAnError() =>
        AssertOnlyError(WithItem("""{"title": "a", "collapsible": "no", "sections": []}"""), "items[0].collapsible", "must be a bool, not a string");

    [Fact]
    public void Validate_ItemUnknownKey_IsAWarning() =>
        AssertOnlyWarning(WithItem("""{"title": "a", "collapsable": false, "sections": []}"""), "items[0].collapsable",
            "unknown property, ignored (expected title, subtitle, link, badge, actions, collapsible, sections)");

    [Fact]
    public void Validate_ItemSubtitleOverTextBound_IsAWarning() =>
        AssertOnlyWarning(WithItem($$"""{"title": "a", "subtitle": "{{new string('s', 30)}}", "sections": []}"""), "items[0].subtitle",
            "is 30 characters; the card shows the first 20", new WidgetsOptions { MaxTextLength = 20 });

    // --- badge -----------------------------------------------------------------------------------------------------

    [Fact]
    public void Validate_BadgeNotADict_IsAnError() =>
        AssertOnlyError(WithItem("""{"title": "a", "badge": "Active", "sections": []}"""), "items[0].badge", "must be a dict, not a string");

    [Fact]
    public void Validate_BadgeTextMissing_IsAnError() =>
        AssertOnlyError(WithItem("""{"title": "a", "badge": {"color": "green"}, "sections": []}"""), "items[0].badge.text", "is required (a string)");

    [Fact]
    public void Validate_BadgeTextNotAString_IsAnError() =>
        AssertOnlyError(WithItem("""{"title": "a", "badge": {"text": true}, "sections": []}"""), "items[0].badge.text", "must be a string, not a bool");

    [Fact]
    public void Validate_BadgeColorUnknown_NamesTheAllowedColours() =>
        AssertOnlyError(WithItem("""{"title": "a", "badge": {"text": "x", "color": "purple"}, "sections": []}"""), "items[0].badge.color",
            "'purple' is not one of blue, green, red, yellow, gray");

    [Fact]
    public void Validate_BadgeColorWrongCase_HintsAtTheLowerCaseName() =>
        AssertOnlyError(WithItem("""{"title": "a", "badge": {"text": "x", "color": "Green"}, "sections": []}"""), "items[0].badge.color",
            "'Green' is not one of blue, green, red, yellow, gray (colour names are lower-case: 'green')");

    [Fact]
    public void Validate_BadgeColorNotAString_IsAnError() =>
        AssertOnlyError(WithItem("""{"title": "a", "badge": {"text": "x", "color": 1}, "sections": []}"""), "items[0].badge.color",
            "must be a string, not a number");

    [Theory]
    [InlineData("blue")]
    [InlineData("green")]
    [InlineData("red")]
    [InlineData("yellow")]
    [InlineData("gray")]
    public void Validate_BadgeColorKnown_HasNoProblems(string color) =>
        Assert.Empty(Check(WithItem($$"""{"title": "a", "badge": {"text": "x", "color": "{{color}}"}, "sections": []}""")).Problems);

    [Fact]
    public void Validate_BadgeColorAbsent_IsValidAndDrawnGray()
    {
        var result = Check(WithItem("""{"title": "a", "badge": {"text": "x"}, "sections": []}"""));
        Assert.Empty(result.Problems);
        Assert.Equal(BadgeColor.Gray, result.Result.Items[0].Badge!.EffectiveColor);
    }

    // --- actions ---------------------------------------------------------------------------------------------------

    [Fact]
    public void Validate_ActionsNotAList_IsAnError() =>
        AssertOnlyError(WithItem("""{"title": "a", "actions": {"label": "x"}, "sections": []}"""), "items[0].actions", "must be a list, not a dict");

    [Fact]
    public void Validate_ActionNotADict_IsAnError() =>
        AssertOnlyError(WithItem("""{"title": "a", "actions": ["Open"], "sections": []}"""), "items[0].actions[0]", "must be a dict, not a string");

    [Fact]
    public void Validate_ActionLabelMissing_IsAnError() =>
        AssertOnlyError(WithItem("""{"title": "a", "actions": [{"link": "https://x.example"}], "sections": []}"""), "items[0].actions[0].label",
            "is required (a string)");

    [Fact]
    public void Validate_ActionWithoutLink_IsValid() =>
        Assert.Empty(Check(WithItem("""{"title": "a", "actions": [{"label": "Call back"}], "sections": []}""")).Problems);

    [Fact]
    public void Validate_ActionLinkNotAString_IsAnError() =>
        AssertOnlyError(WithItem("""{"title": "a", "actions": [{"label": "x", "link": 5}], "sections": []}"""), "items[0].actions[0].link",
            "must be a string, not a number");

    [Fact]
    public void Validate_ActionLinkUnsafe_IsFlaggedAsAWarning() =>
        AssertOnlyWarning(WithItem("""{"title": "a", "actions": [{"label": "x", "link": "javascript:void(0)"}], "sections": []}"""),
            "items[0].actions[0].link", "'javascript:void(0)' is not a safe link and is shown as plain text (only http, https and mailto links open)");

    [Fact]
    public void Validate_MoreActionsThanTheBound_IsAWarning()
    {
        var actions = string.Join(", ", Enumerable.Range(1, 7).Select(i => $$"""{"label": "A{{i}}"}"""));
        AssertOnlyWarning(WithItem($$"""{"title": "a", "actions": [{{actions}}], "sections": []}"""), "items[0].actions",
            "7 actions; the card shows the first 5");
    }

    // --- sections --------------------------------------------------------------------------------------------------

    [Fact]
    public void Validate_SectionsMissing_IsAnError() => AssertOnlyError(WithItem("""{"title": "a"}"""), "items[0].sections", "is required (a list)");

    [Fact]
    public void Validate_SectionsNotAList_IsAnError() =>
        AssertOnlyError(WithItem("""{"title": "a", "sections": "none"}"""), "items[0].sections", "must be a list, not a string");

    [Fact]
    public void Validate_SectionNotADict_IsAnError() =>
        AssertOnlyError(WithItem("""{"title": "a", "sections": [[1]]}"""), "items[0].sections[0]", "must be a dict, not a list");

    [Fact]
    public void Validate_SectionTitleMissing_IsAnError() =>
        AssertOnlyError(WithSection("""{"fields": {}}"""), "items[0].sections[0].title", "is required (a string)");

    [Fact]
    public void Validate_SectionCollapsibleNotABool_IsAnError() =>
        AssertOnlyError(WithSection("""{"title": "S", "collapsible": 1, "fields": {}}"""), "items[0].sections[0].collapsible", "must be a bool, not a number");

    [Fact]
    public void Validate_SectionFieldsMissing_IsAnError() =>
        AssertOnlyError(WithSection("""{"title": "S"}"""), "items[0].sections[0].fields", "is required (a dict)");

    [Fact]
    public void Validate_SectionFieldsAList_IsAnError() =>
        AssertOnlyError(WithSection("""{"title": "S", "fields": [["Tier", "Gold"]]}"""), "items[0].sections[0].fields", "must be a dict, not a list");

    [Fact]
    public void Validate_FieldValuesOfAnyJsonType_AreValid() =>
        Assert.Empty(Check(WithSection("""{"title": "S", "fields": {"s": "x", "n": 1.5, "b": true, "none": null, "d": {"a": 1}, "l": [1, 2]}}""")).Problems);

    [Fact]
    public void Validate_MoreFieldsThanTheBound_IsAWarning()
    {
        var fields = string.Join(", ", Enumerable.Range(1, 4).Select(i => $"\"k{i}\": {i}"));
        AssertOnlyWarning(WithSection("""{"title": "S", "fields": {""" + fields + "}}"), "items[0].sections[0].fields", "4 fields; the card shows the first 3",
            new WidgetsOptions { MaxFieldsPerSection = 3 });
    }

    [Fact]
    public void Validate_MoreSectionsThanTheBound_IsAWarning()
    {
        var sections = string.Join(", ", Enumerable.Range(1, 3).Select(i => $"{{\"title\": \"S{i}\", \"fields\": {{}}}}"));
        AssertOnlyWarning(WithItem($$"""{"title": "a", "sections": [{{sections}}]}"""), "items[0].sections", "3 sections; the card shows the first 2",
            new WidgetsOptions { MaxSectionsPerItem = 2 });
    }

    [Fact]
    public void Validate_FieldValueOverTheBound_IsAWarningNamingTheKey() =>
        AssertOnlyWarning(WithSection("{\"title\": \"S\", \"fields\": {\"Order \\\"notes\\\"\": \"" + new string('n', 1_500) + "\"}}"),
            "items[0].sections[0].fields[\"Order \\\"notes\\\"\"]", "value is 1,500 characters; the card shows the first 1,000");

    // --- everything at once ----------------------------------------------------------------------------------------

    [Fact]
    public void Validate_ManyProblems_ReportsEveryOneWithItsPath()
    {
        var result = Check("""
            {
              "title": 7,
              "items": [
                {"title": "ok", "sections": []},
                "not an item",
                {
                  "subtitle": ["x"],
                  "link": "javascript:alert(document.cookie)",
                  "badge": {"text": "VIP", "color": "purple"},
                  "actions": [{"link": "https://x.example"}, {"label": "Bad", "link": "vbscript:x"}, 3],
                  "collapsible": "yes",
                  "sections": [
                    {"title": "A", "fields": {"k": "v"}},
                    {"collapsible": "no", "fields": ["k", "v"]},
                    {"title": "C"}
                  ],
                  "colour": "red"
                },
                {"title": "no sections", "badge": []}
              ]
            }
            """);

        var errors = result.Errors.Select(p => p.ToString()).ToList();
        Assert.Equal(new[]
        {
            "title: must be a string, not a number",
            "items[1]: must be a dict, not a string",
            "items[2].title: is required (a string)",
            "items[2].subtitle: must be a string, not a list",
            "items[2].badge.color: 'purple' is not one of blue, green, red, yellow, gray",
            "items[2].actions[2]: must be a dict, not a number",
            "items[2].actions[0].label: is required (a string)",
            "items[2].collapsible: must be a bool, not a string",
            "items[2].sections[1].title: is required (a string)",
            "items[2].sections[1].collapsible: must be a bool, not a string",
            "items[2].sections[1].fields: must be a dict, not a list",
            "items[2].sections[2].fields: is required (a dict)",
            "items[3].badge: must be a dict, not a list",
            "items[3].sections: is required (a list)",
        }.Order(), errors.Order());

        var warnings = result.Warnings.Select(p => p.Path).ToList();
        Assert.Equal(new[] { "items[2].link", "items[2].actions[1].link", "items[2].colour" }.Order(), warnings.Order());
        Assert.False(result.IsValid);
        Assert.Equal(WidgetProblemSeverity.Error, result.Problems[0].Severity);
        Assert.Equal(WidgetProblemSeverity.Warning, result.Problems[^1].Severity);
    }
}
