using System.Text.Json.Nodes;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Functions;

namespace Octocom.Dashboard.Tests.Scripting.Functions;

public sealed class ArgumentValuesTests
{
    private static readonly ArgumentDefinition[] Definitions =
    [
        new("orderId"), new("amount", "number", Required: false), new("count", "integer", Required: false),
        new("notify", "boolean", Required: false), new("extra", "json", Required: false),
    ];

    [Fact]
    public void FromInputs_TypedValues_BecomeJsonOfThatType()
    {
        var result = ArgumentValues.FromInputs(Definitions, new Dictionary<string, string?>
        {
            ["orderId"] = "ORD-1", ["amount"] = "12.5", ["count"] = "3", ["notify"] = "true", ["extra"] = "{\"a\": [1, 2]}",
        });
        Assert.True(result.IsValid);
        Assert.Equal("""{"orderId":"ORD-1","amount":12.5,"count":3,"notify":true,"extra":{"a":[1,2]}}""", result.Args!.ToJsonString());
    }

    [Fact]
    public void FromInputs_EmptyOptional_IsLeftOut_EmptyRequired_IsAnError()
    {
        var result = ArgumentValues.FromInputs(Definitions, new Dictionary<string, string?> { ["amount"] = " " });
        Assert.False(result.IsValid);
        Assert.Equal("orderId is required.", result.Errors["orderId"]);
        Assert.Single(result.Errors);
    }

    [Theory]
    [InlineData("amount", "12,5", "not a number")]
    [InlineData("count", "1.5", "not a whole number")]
    [InlineData("notify", "yes", "not true or false")]
    [InlineData("extra", "{oops", "not valid JSON")]
    public void FromInputs_BadValue_NamesTheArgumentAndTheProblem(string name, string text, string expected)
    {
        var result = ArgumentValues.FromInputs(Definitions, new Dictionary<string, string?> { ["orderId"] = "x", [name] = text });
        Assert.False(result.IsValid);
        Assert.Contains(expected, result.Errors[name]);
    }

    [Fact]
    public void FromJson_ObjectWithTheRequiredArguments_IsUsedAsIs()
    {
        var result = ArgumentValues.FromJson(Definitions, """{"orderId": 42, "anything": [true]}""");
        Assert.True(result.IsValid);
        Assert.Equal(42, (int)result.Args!["orderId"]!);
    }

    [Theory]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("{nope", "not valid JSON")]
    [InlineData("{}", "orderId is required")]
    public void FromJson_BadInput_IsExplained(string json, string expected)
    {
        var result = ArgumentValues.FromJson(Definitions, json);
        Assert.False(result.IsValid);
        Assert.Contains(expected, string.Join(" ", result.Errors.Values));
    }

    [Fact]
    public void ToJson_KeepsWhatWasTyped()
    {
        var json = ArgumentValues.ToJson(Definitions, new Dictionary<string, string?> { ["orderId"] = "A", ["count"] = "7", ["amount"] = "oops" });
        var node = JsonNode.Parse(json)!.AsObject();
        Assert.Equal("A", (string?)node["orderId"]);
        Assert.Equal(7, (int)node["count"]!);
        Assert.Equal("oops", (string?)node["amount"]);
    }

    [Fact]
    public void ArgumentDefinitions_RoundTripThroughJson()
    {
        var json = ArgumentDefinitions.ToJson(Definitions);
        Assert.Equal(Definitions, ArgumentDefinitions.Parse(json));
        Assert.Contains("\"orderId\"", json);
        Assert.Empty(ArgumentDefinitions.Parse("not json"));
    }
}
