using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.ChatApi;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.ChatApi;

/// <summary>The whole app on Kestrel with demo data, plus a business that accepts chat only from https://shop.example.</summary>
public sealed class ChatApiServerFixture : IAsyncLifetime
{
    public const string OpenSlug = "trailhead";
    public const string RestrictedSlug = "restricted-shop";
    public const string AllowedOrigin = "https://shop.example";

    public DashboardServer Server { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Server = new DashboardServer(null, demoConversations: 5);
        await using var scope = Server.ScopeFor(1);
        await using var db = scope.Db();
        db.Businesses.Add(new Business { Name = "Restricted Shop", Slug = RestrictedSlug, AllowedOrigins = AllowedOrigin });
        await db.SaveChangesAsync();
    }

    public async Task<T> QueryAsync<T>(Func<Octocom.Dashboard.Data.DashboardDbContext, Task<T>> query)
    {
        await using var scope = Server.ScopeFor(1);
        await using var db = scope.Db();
        return await query(db);
    }

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The public chat API through the real HTTP pipeline (Kestrel, middleware, JSON, SQLite).</summary>
public sealed class ChatApiEndpointTests(ChatApiServerFixture fixture) : IClassFixture<ChatApiServerFixture>, IDisposable
{
    private const string Slug = ChatApiServerFixture.OpenSlug;
    private readonly ChatApiClient _client = new(fixture.Server.BaseUrl);

    public void Dispose() => _client.Dispose();

    private Task<List<Message>> MessagesAsync(Guid conversationId) =>
        fixture.QueryAsync(db => db.Messages.Where(m => m.ConversationId == conversationId).OrderBy(m => m.Id).ToListAsync());

    private Task<Dictionary<string, string>> MetadataAsync(Guid conversationId) =>
        fixture.QueryAsync(db => db.ConversationMetadata.Where(m => m.ConversationId == conversationId).ToDictionaryAsync(m => m.Key, m => m.Value));

    [Fact]
    public async Task Start_KnownBusiness_Returns201WithTheTokenAndStoresOnlyItsHash()
    {
        var started = await _client.StartAsync(Slug, new
        {
            message = "Hi there",
            customData = new Dictionary<string, string> { ["plan"] = "premium", ["email"] = "api-start@example.com" },
            page = new { url = "https://www.trailhead.example/boots", title = "Boots" },
            referrer = "https://www.google.com/",
            language = "de-DE",
        });

        Assert.Equal(6, started.PublicId.Length);
        Assert.Equal("Hi there", started.Body.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(0, started.Body.GetProperty("rejected").GetArrayLength());
        var conversation = await fixture.QueryAsync(db => db.Conversations.Include(c => c.Customer).Include(c => c.BrowserSession)
            .SingleAsync(c => c.Id == started.ConversationId));
        Assert.Equal(ChatToken.Hash(started.Token), conversation.ChatTokenHash);
        Assert.DoesNotContain(started.Token, conversation.ChatTokenHash);
        Assert.Equal("api-start@example.com", conversation.Customer!.Email);
        Assert.Equal("de-DE", conversation.BrowserSession!.Language);
        Assert.Contains("https://www.trailhead.example/boots", conversation.BrowserSession.PagesVisitedJson);
        Assert.Equal("premium", (await MetadataAsync(started.ConversationId))["chat-widget:plan"]);
    }

    [Fact]
    public async Task Start_UnknownBusiness_Returns404Problem()
    {
        var response = await _client.Http.PostAsJsonAsync("/api/chat/no-such-shop/conversations", new { message = "hi" });
        var problem = await ChatApiClient.AssertProblemAsync(response, HttpStatusCode.NotFound, ChatProblems.BusinessNotFound);
        Assert.Contains("no-such-shop", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Send_InvalidJson_Returns400ProblemAndStoresNothing()
    {
        var chat = await _client.StartAsync(Slug);
        var response = await _client.SendRawAsync(Slug, chat.ConversationId, chat.Token, """{"message": "hi", "customData": {"plan": """);

        await ChatApiClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, ChatProblems.InvalidJson);
        Assert.Single(await MessagesAsync(chat.ConversationId));
    }

    [Fact]
    public async Task Send_EmptyBody_Returns400Problem()
    {
        var chat = await _client.StartAsync(Slug);
        var response = await _client.SendRawAsync(Slug, chat.ConversationId, chat.Token, "");
        await ChatApiClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, ChatProblems.BodyRequired);
    }

    [Fact]
    public async Task Send_WithoutMessageText_Returns400ProblemAndStoresNoData()
    {
        var chat = await _client.StartAsync(Slug);
        var response = await _client.SendAsync(Slug, chat.ConversationId, chat.Token, new { message = "  ", customData = new { plan = "x" } });

        await ChatApiClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, ChatProblems.MessageRequired);
        Assert.Empty(await MetadataAsync(chat.ConversationId));
    }

    [Fact]
    public async Task Send_MessageOverTheLimit_Returns400ProblemNamingTheLimit()
    {
        var chat = await _client.StartAsync(Slug);
        var response = await _client.SendAsync(Slug, chat.ConversationId, chat.Token, new { message = new string('m', MessageService.MaxContentLength + 1) });

        var problem = await ChatApiClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, ChatProblems.MessageTooLong);
        Assert.Contains("20,000", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Send_MissingToken_Returns401Problem()
    {
        var chat = await _client.StartAsync(Slug);
        var response = await _client.SendAsync(Slug, chat.ConversationId, null, new { message = "no token" });

        await ChatApiClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, ChatProblems.TokenRequired);
        Assert.Single(await MessagesAsync(chat.ConversationId));
    }

    [Fact]
    public async Task Send_WrongToken_Returns403ProblemAndStoresNothing()
    {
        var chat = await _client.StartAsync(Slug);
        var response = await _client.SendAsync(Slug, chat.ConversationId, ChatToken.New(), new { message = "guess", customData = new { plan = "x" } });

        await ChatApiClient.AssertProblemAsync(response, HttpStatusCode.Forbidden, ChatProblems.TokenInvalid);
        Assert.Single(await MessagesAsync(chat.ConversationId));
        Assert.Empty(await MetadataAsync(chat.ConversationId));
    }

    [Fact]
    public async Task Send_AnotherConversationsToken_Returns403Problem()
    {
        var mine = await _client.StartAsync(Slug);
        var theirs = await _client.StartAsync(Slug);

        var response = await _client.SendAsync(Slug, mine.ConversationId, theirs.Token, new { message = "hijack" });
        await ChatApiClient.AssertProblemAsync(response, HttpStatusCode.Forbidden, ChatProblems.TokenInvalid);
        var poll = await _client.PollAsync(Slug, mine.ConversationId, theirs.Token);
        await ChatApiClient.AssertProblemAsync(poll, HttpStatusCode.Forbidden, ChatProblems.TokenInvalid);
    }

    [Fact]
    public async Task Send_RightTokenThroughAnotherBusinessSlug_Returns403Problem()
    {
        var chat = await _client.StartAsync(Slug);
        var response = await _client.SendAsync("bean-and-leaf", chat.ConversationId, chat.Token, new { message = "wrong door" });
        await ChatApiClient.AssertProblemAsync(response, HttpStatusCode.Forbidden, ChatProblems.TokenInvalid);
    }

    [Fact]
    public async Task Send_CustomDataBreakingRules_StoresTheMessageAndListsEachRejectedKey()
    {
        var chat = await _client.StartAsync(Slug);
        var longKey = new string('k', 189); // "chat-widget:" + 189 = 201 characters
        var response = await _client.SendAsync(Slug, chat.ConversationId, chat.Token, new
        {
            message = "Please help",
            customData = new Dictionary<string, object?>
            {
                ["plan"] = "gold",
                [longKey] = "v",
                ["notes"] = new string('x', 50_001),
                ["email"] = "not-an-email",
                ["cart_value"] = 489.99,
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Please help", body.GetProperty("message").GetProperty("content").GetString());
        var rejected = body.GetProperty("rejected").EnumerateArray()
            .ToDictionary(r => r.GetProperty("key").GetString()!, r => (Rule: r.GetProperty("rule").GetString(), Target: r.GetProperty("target").GetString()));
        Assert.Equal(("key_too_long", "metadata"), rejected[longKey]);
        Assert.Equal(("value_too_long", "metadata"), rejected["notes"]);
        Assert.Equal(("invalid_email", "customer"), rejected["email"]);
        Assert.Equal(3, rejected.Count);

        Assert.Equal("Please help", (await MessagesAsync(chat.ConversationId))[^1].Content);
        var metadata = await MetadataAsync(chat.ConversationId);
        Assert.Equal("gold", metadata["chat-widget:plan"]);
        Assert.Equal("489.99", metadata["chat-widget:cart_value"]);
        Assert.Equal("not-an-email", metadata["chat-widget:email"]);
        Assert.DoesNotContain("chat-widget:notes", metadata.Keys);
    }

    [Fact]
    public async Task Send_OversizeBody_Returns413ProblemNamingTheLimit()
    {
        var chat = await _client.StartAsync(Slug);
        var response = await _client.SendAsync(Slug, chat.ConversationId, chat.Token, new
        {
            message = "big",
            customData = Enumerable.Range(0, 25).ToDictionary(i => $"k{i}", _ => new string('x', 45_000)),
        });

        var problem = await ChatApiClient.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, ChatProblems.BodyTooLarge);
        Assert.Contains("1,048,576", problem.GetProperty("detail").GetString());
        Assert.Single(await MessagesAsync(chat.ConversationId));
    }

    [Fact]
    public async Task Poll_AfterAnAgentReply_ReturnsItAndTheNextCursor()
    {
        var chat = await _client.StartAsync(Slug);
        var first = chat.Body.GetProperty("message").GetProperty("id").GetInt64();
        await using (var scope = fixture.Server.ScopeFor(1))
            await scope.Get<MessageService>().AddAgentReplyAsync(chat.ConversationId, "How can I help?", "Agent Smith");

        var response = await _client.PollAsync(Slug, chat.ConversationId, chat.Token, $"after={first}&wait=5");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var reply = Assert.Single(body.GetProperty("messages").EnumerateArray());
        Assert.Equal("agent", reply.GetProperty("sender").GetString());
        Assert.Equal("Agent Smith", reply.GetProperty("authorName").GetString());
        Assert.Equal(reply.GetProperty("id").GetInt64(), body.GetProperty("cursor").GetInt64());
        Assert.Equal("open", body.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("after=abc")]
    [InlineData("after=-1")]
    [InlineData("wait=soon")]
    public async Task Poll_InvalidQuery_Returns400Problem(string query)
    {
        var chat = await _client.StartAsync(Slug);
        var response = await _client.PollAsync(Slug, chat.ConversationId, chat.Token, query);
        await ChatApiClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, ChatProblems.InvalidQuery);
    }

    [Fact]
    public async Task UnknownChatAddress_Returns404JsonProblemNotTheHtmlPage()
    {
        var response = await _client.Http.GetAsync($"/api/chat/{Slug}/nothing/here");
        await ChatApiClient.AssertProblemAsync(response, HttpStatusCode.NotFound, ChatProblems.NotFound);
    }

    [Fact]
    public async Task Preflight_FromAnAllowedOrigin_AllowsItWithCorsHeaders()
    {
        var response = await PreflightAsync(ChatApiServerFixture.RestrictedSlug, ChatApiServerFixture.AllowedOrigin);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(ChatApiServerFixture.AllowedOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Contains("authorization", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Preflight_FromADisallowedOrigin_IsRefusedWithoutCorsHeaders()
    {
        var response = await PreflightAsync(ChatApiServerFixture.RestrictedSlug, "https://evil.example");

        await ChatApiClient.AssertProblemAsync(response, HttpStatusCode.Forbidden, ChatProblems.OriginNotAllowed);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflight_ForABusinessWithoutAllowedOrigins_AllowsAnyOrigin()
    {
        var response = await PreflightAsync(Slug, "https://anywhere.example");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Post_FromAnAllowedOrigin_CarriesTheCorsHeader()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/chat/{ChatApiServerFixture.RestrictedSlug}/conversations")
        {
            Content = JsonContent.Create(new { message = "from the shop" }),
        };
        request.Headers.Add("Origin", ChatApiServerFixture.AllowedOrigin);
        var response = await _client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(ChatApiServerFixture.AllowedOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Post_FromADisallowedOrigin_Returns403AndStoresNothing()
    {
        var chat = await _client.StartAsync(ChatApiServerFixture.RestrictedSlug);
        var response = await _client.SendRawAsync(ChatApiServerFixture.RestrictedSlug, chat.ConversationId, chat.Token,
            """{"message":"simple request from elsewhere"}""", origin: "https://evil.example");

        await ChatApiClient.AssertProblemAsync(response, HttpStatusCode.Forbidden, ChatProblems.OriginNotAllowed);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Single(await MessagesAsync(chat.ConversationId));
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheChatEndpoints()
    {
        var document = await _client.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/chat/{businessSlug}/conversations", out var start));
        Assert.True(start.GetProperty("post").GetProperty("responses").TryGetProperty("201", out _));
        Assert.True(paths.TryGetProperty("/api/chat/{businessSlug}/conversations/{conversationId}/messages", out var messages));
        Assert.True(messages.TryGetProperty("get", out _));
        Assert.True(messages.TryGetProperty("post", out _));
    }

    [Fact]
    public async Task GetBusiness_ReturnsItsPublicName()
    {
        var business = await _client.Http.GetFromJsonAsync<JsonElement>($"/api/chat/{Slug}");
        Assert.Equal(Slug, business.GetProperty("slug").GetString());
        Assert.False(string.IsNullOrEmpty(business.GetProperty("name").GetString()));
    }

    private Task<HttpResponseMessage> PreflightAsync(string slug, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, $"/api/chat/{slug}/conversations");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,authorization");
        return _client.Http.SendAsync(request);
    }
}
