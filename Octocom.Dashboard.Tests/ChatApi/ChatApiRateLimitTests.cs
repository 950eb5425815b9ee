using System.Net;
using Octocom.Dashboard.ChatApi;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.ChatApi;

public sealed class ChatApiRateLimitServerFixture : IDisposable
{
    public const int PerToken = 3;
    public const int PerIp = 10;

    public DashboardServer Server { get; } = new(new Dictionary<string, string?>
    {
        ["ChatApi:PerTokenPermitLimit"] = PerToken.ToString(),
        ["ChatApi:PerIpPermitLimit"] = PerIp.ToString(),
    }, demoConversations: 5);

    public void Dispose() => Server.Dispose();
}

/// <summary>ASP.NET's rate limiter on the chat API; each test calls from its own loopback address so IP windows stay apart.</summary>
public sealed class ChatApiRateLimitTests(ChatApiRateLimitServerFixture fixture) : IClassFixture<ChatApiRateLimitServerFixture>
{
    private const string Slug = "trailhead";

    [Fact]
    public async Task Send_OverThePerTokenLimit_Returns429ProblemWhileAnotherConversationStillWorks()
    {
        using var client = new ChatApiClient(fixture.Server.BaseUrl, "127.0.0.2");
        var chat = await client.StartAsync(Slug);
        for (var i = 0; i < ChatApiRateLimitServerFixture.PerToken; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Slug, chat.ConversationId, chat.Token, new { message = $"m{i}" })).StatusCode);

        var limited = await client.SendAsync(Slug, chat.ConversationId, chat.Token, new { message = "one too many" });

        await ChatApiClient.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, ChatProblems.RateLimited);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var other = await client.StartAsync(Slug);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Slug, other.ConversationId, other.Token, new { message = "fine" })).StatusCode);
    }

    [Fact]
    public async Task Start_OverThePerIpLimit_Returns429Problem()
    {
        using var client = new ChatApiClient(fixture.Server.BaseUrl, "127.0.0.3");
        for (var i = 0; i < ChatApiRateLimitServerFixture.PerIp; i++)
            await client.StartAsync(Slug);

        var limited = await client.Http.PostAsync($"/api/chat/{Slug}/conversations",
            new StringContent("""{"message":"again"}""", System.Text.Encoding.UTF8, "application/json"));

        var problem = await ChatApiClient.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, ChatProblems.RateLimited);
        Assert.Contains("per IP address", problem.GetProperty("detail").GetString());
        using var elsewhere = new ChatApiClient(fixture.Server.BaseUrl, "127.0.0.4");
        await elsewhere.StartAsync(Slug);
    }
}
