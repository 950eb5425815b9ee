using System.Text.Json;
using Octocom.Dashboard.ChatApi;

namespace Octocom.Dashboard.Tests.ChatApi;

public sealed class ChatCustomerFieldsValidatorTests
{
    [Theory]
    [InlineData("ada@example.com", true)]
    [InlineData("first.last+tag@sub.example.co.uk", true)]
    [InlineData("  padded@example.com  ", true)]
    [InlineData("user@bücher.example", true)]
    [InlineData("plainaddress", false)]
    [InlineData("a@b", false)]
    [InlineData("a@b.c", false)]
    [InlineData("@example.com", false)]
    [InlineData("x@-example.com", false)]
    [InlineData("a b@example.com", false)]
    [InlineData("<a@example.com>", false)]
    public void IsEmail_Candidate_MatchesExpectation(string email, bool valid) =>
        Assert.Equal(valid, ChatCustomerFieldsValidator.IsEmail(email));

    [Fact]
    public void IsEmail_Over320Characters_IsFalse() =>
        Assert.False(ChatCustomerFieldsValidator.IsEmail(new string('a', 310) + "@example.com"));

    [Theory]
    [InlineData("+44 20 7946 0958", true)]
    [InlineData("(555) 123-4567", true)]
    [InlineData("555.123.4567", true)]
    [InlineData("+1234567", true)]
    [InlineData("123456", false)]
    [InlineData("+1234567890123456", false)]
    [InlineData("555-CALL-NOW", false)]
    [InlineData("12+34567890", false)]
    public void IsPhone_Candidate_MatchesExpectation(string phone, bool valid) =>
        Assert.Equal(valid, ChatCustomerFieldsValidator.IsPhone(phone));

    [Fact]
    public void Validate_LongName_IsInvalidName()
    {
        var result = new ChatCustomerFieldsValidator().Validate(new ChatCustomerFields(null, new string('n', 201), null));
        Assert.Equal(ChatCustomerRules.InvalidName, Assert.Single(result.Errors).ErrorCode);
    }

    [Fact]
    public void CustomDataConverter_NonStringJsonValues_AreReadAsTheirJsonText()
    {
        var request = JsonSerializer.Deserialize<SendChatMessageRequest>(
            """{"message":"hi","customData":{"s":"text","n":489.99,"b":true,"o":{"id":"ORD-1"},"a":[1,2],"z":null,"s":"later"}}""",
            JsonSerializerOptions.Web)!;

        var data = request.CustomData!;
        Assert.Equal("later", data["s"]);
        Assert.Equal("489.99", data["n"]);
        Assert.Equal("true", data["b"]);
        Assert.Equal("""{"id":"ORD-1"}""", data["o"]);
        Assert.Equal("[1,2]", data["a"]);
        Assert.Null(data["z"]);
    }

    [Fact]
    public void CustomDataConverter_NotAnObject_IsAJsonError() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<SendChatMessageRequest>(
            """{"message":"hi","customData":["plan"]}""", JsonSerializerOptions.Web));
}
