using System.Text.Json.Nodes;
using Octocom.Dashboard.Widgets;

namespace Octocom.Dashboard.Tests.Widgets;

public sealed class WidgetResultParserTests
{
    private static WidgetResult Parse(string json) => WidgetResultParser.Parse(JsonNode.Parse(json));

    [Fact]
    public void Parse_SeedWholesale_ReadsEveryProperty()
    {
        var result = WidgetResultParser.Parse(SeedExamples.Wholesale());

        Assert.Equal("Wholesale", result.Title);
        var item = Assert.Single(result.Items);
        Assert.Equal("Trailhead Outfitters LLC", item.Title);
        Assert.Equal("Active", item.Badge!.Text);
        Assert.Equal(BadgeColor.Green, item.Badge.EffectiveColor);
        var action = Assert.Single(item.Actions);
        Assert.Equal(("View in ERP", "https://erp.example.com/accounts/W-77"), (action.Label, action.Link));
        Assert.Equal(["Account", "Contact"], item.Sections.Select(s => s.Title));
        Assert.Equal(["Pricing tier", "Credit limit", "Outstanding balance", "Payment terms"], item.Sections[0].Fields.Select(f => f.Key));
        Assert.Equal("Net 30", item.Sections[0].Fields[3].Text);
    }

    [Fact]
    public void Parse_AllOptionalPropertiesAbsent_AppliesTheFormatDefaults()
    {
        var item = Parse("""{"title": "W", "items": [{"title": "a", "sections": [{"title": "S", "fields": {}}]}]}""").Items[0];

        Assert.True(item.Collapsible);                 // items: default True
        Assert.False(item.Sections[0].Collapsible);    // sections: default False
        Assert.Null(item.Subtitle);
        Assert.Null(item.Link);
        Assert.Null(item.Badge);
        Assert.Empty(item.Actions);
    }

    [Fact]
    public void Parse_ExplicitCollapsibleValues_OverrideTheDefaults()
    {
        var item = Parse("""{"title": "W", "items": [{"title": "a", "collapsible": false, "sections": [{"title": "S", "collapsible": true, "fields": {}}]}]}""").Items[0];

        Assert.False(item.Collapsible);
        Assert.True(item.Sections[0].Collapsible);
    }

    [Fact]
    public void Parse_FieldsKeepTheScriptsOrder()
    {
        var fields = Parse("""{"title": "W", "items": [{"title": "a", "sections": [{"title": "S", "fields": {"z": 1, "a": 2, "m": 3}}]}]}""")
            .Items[0].Sections[0].Fields;
        Assert.Equal(["z", "a", "m"], fields.Select(f => f.Key));
    }

    [Fact]
    public void Parse_WrongTypes_LeavesPropertiesEmptyAndRecordsTheShape()
    {
        var result = Parse("""{"title": 5, "items": [{"title": "a", "badge": "x", "collapsible": "no", "sections": {"k": 1}}, 3]}""");

        Assert.Null(result.Title);
        Assert.Equal(JsonType.Number, result.Shape["title"]);
        var item = result.Items[0];
        Assert.Null(item.Badge);
        Assert.Equal(JsonType.String, item.Shape["badge"]);
        Assert.True(item.Collapsible);
        Assert.Empty(item.Sections);
        Assert.Equal(JsonType.Object, item.Shape["sections"]);
        Assert.Equal(JsonType.Number, result.Items[1].Shape.Type);
        Assert.Equal(JsonType.Missing, item.Shape["subtitle"]);
    }

    [Fact]
    public void Parse_KeepsTheRawJson()
    {
        var json = SeedExamples.Crm();
        Assert.Same(json, WidgetResultParser.Parse(json).Raw);
    }

    [Fact]
    public void Parse_None_GivesAnEmptyResult()
    {
        var result = WidgetResultParser.Parse(null);
        Assert.Equal(JsonType.Null, result.Shape.Type);
        Assert.Null(result.Title);
        Assert.Empty(result.Items);
        Assert.Null(result.Raw);
    }

    [Theory]
    [InlineData("\"Gold\"", "Gold")]
    [InlineData("1234.5", "1234.5")]
    [InlineData("42", "42")]
    [InlineData("true", "Yes")]
    [InlineData("false", "No")]
    [InlineData("null", "—")]
    [InlineData("{\"a\": 1, \"b\": [true, null]}", "{\"a\":1,\"b\":[true,null]}")]
    [InlineData("[\"café\", 2]", "[\"café\",2]")]
    [InlineData("\"<b>bold</b>\"", "<b>bold</b>")]
    public void FieldText_EachJsonType_ReadsAsText(string valueJson, string expected)
    {
        var field = Parse(WidgetResults.WithSection("""{"title": "S", "fields": {"k": """ + valueJson + "}}"))
            .Items[0].Sections[0].Fields[0];
        Assert.Equal(expected, field.Text);
        Assert.Equal(valueJson.StartsWith('{') || valueJson.StartsWith('['), field.IsStructured);
    }
}
