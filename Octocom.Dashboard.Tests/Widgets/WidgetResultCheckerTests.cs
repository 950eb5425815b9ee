using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Tests.TestInfrastructure;
using Octocom.Dashboard.Widgets;

namespace Octocom.Dashboard.Tests.Widgets;

public sealed class WidgetResultCheckerTests
{
    private readonly WidgetResultChecker _checker = WidgetResults.Checker();

    [Fact]
    public void Check_ErrorsAndWarnings_ListsErrorsFirst()
    {
        var result = _checker.Check(System.Text.Json.Nodes.JsonNode.Parse(
            """{"title": "W", "extra": 1, "items": [{"title": "a", "link": "javascript:x", "sections": [{"title": "S", "fields": []}]}]}"""));

        Assert.Equal(["items[0].sections[0].fields", "items[0].link", "extra"], result.Problems.Select(p => p.Path));
        Assert.Equal([WidgetProblemSeverity.Error, WidgetProblemSeverity.Warning, WidgetProblemSeverity.Warning],
            result.Problems.Select(p => p.Severity));
    }

    [Fact]
    public void Check_StoredJsonText_IsParsedAndChecked()
    {
        var result = _checker.Check(SeedExamples.Crm().ToJsonString());
        Assert.True(result.IsValid);
        Assert.Equal("CRM", result.Result.Title);
    }

    [Fact]
    public void Check_TextThatIsNotJson_IsReportedAndKeptAsTheRawValue()
    {
        var result = _checker.Check("{'title': 'CRM'}");

        var problem = Assert.Single(result.Problems);
        Assert.Equal("result", problem.Path);
        Assert.StartsWith("is not valid JSON", problem.Message);
        Assert.Equal("{'title': 'CRM'}", result.Result.Raw!.GetValue<string>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    public void Check_NoStoredResult_ReadsAsNone(string? json)
    {
        var problem = Assert.Single(_checker.Check(json).Problems);
        Assert.Contains("returned None", problem.Message);
    }

    [Fact]
    public async Task Dashboard_ResolvesTheCheckerFromItsComposition()
    {
        await using var app = await TestApp.CreateAsync(settings: new Dictionary<string, string?> { ["Widgets:MaxFieldsPerSection"] = "2" });

        var result = app.Services.GetRequiredService<WidgetResultChecker>().Check(SeedExamples.Crm());

        Assert.Equal("items[0].sections[0].fields: 4 fields; the card shows the first 2", Assert.Single(result.Problems).ToString());
    }

    [Fact]
    public void AddWidgets_RegistersACheckerUsingTheConfiguredBounds()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Widgets:MaxItems"] = "1" });
        builder.AddWidgets();
        using var services = builder.Services.BuildServiceProvider();

        var result = services.GetRequiredService<WidgetResultChecker>().Check(SeedExamples.Warranties());

        Assert.Equal("items: 2 items; the card shows the first 1", Assert.Single(result.Problems).ToString());
    }
}
