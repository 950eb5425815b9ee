using System.Text.Json.Nodes;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Scripting;

/// <summary>The context dict, field by field, against seed 000 (and its availability table per function type).</summary>
public sealed class ScriptContextBuilderTests : IAsyncLifetime
{
    private TestApp _app = default!;
    private TestData.Tenant _tenant = default!;
    private Conversation _webChat = default!;
    private Conversation _email = default!;
    private Customer _customer = default!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.CreateAsync(settings: new Dictionary<string, string?> { ["Scripting:WarmOnStart"] = "false" });
        _tenant = await _app.CreateTenantAsync();
        _customer = new Customer { Email = "ada@example.com", Name = "Ada Lovelace", Phone = "+44 20 7946 0000", InstagramUsername = "ada.codes" };
        _webChat = await _app.CreateConversationAsync(_tenant, publicId: "A1B2C3", subject: "Where is my order?", customer: _customer,
            messages: [(MessageSender.Customer, "Hi, where is order 1042?"), (MessageSender.Bot, "Let me check."), (MessageSender.Agent, "It ships today.")],
            metadata: new Dictionary<string, string> { ["chat-widget:cart"] = "3 items", ["plan"] = "gold" });
        _email = await _app.CreateConversationAsync(_tenant, publicId: "E5M4I1", subject: "Invoice", channel: Channels.Email);
        await _app.QueryAsync(_tenant.OrganizationId, async db =>
        {
            db.BrowserSessions.Add(new BrowserSession
            {
                OrganizationId = _tenant.OrganizationId,
                ConversationId = _webChat.Id,
                UserAgent = "Mozilla/5.0 (X11; Linux x86_64)",
                Referrer = "https://www.google.com/",
                Language = "en-GB",
                PagesVisitedJson = """[{"url":"https://acme.example/","title":"Home","visitedAt":"2026-11-23T09:58:00.1234567Z"},{"url":"https://acme.example/cart","title":"Cart","visitedAt":"2026-11-23T09:59:30Z"}]""",
                StartedAt = new DateTime(2026, 11, 23, 9, 57, 0, DateTimeKind.Utc),
                LastSeenAt = new DateTime(2026, 11, 23, 10, 0, 0, 500, DateTimeKind.Utc),
            });
            return await db.SaveChangesAsync();
        });
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<ScriptContext> BuildAsync(FunctionKind kind, string? conversation, int? businessId = null,
        JsonObject? args = null, string? eventType = null, int? organizationId = null)
    {
        await using var scope = _app.ScopeFor(organizationId ?? _tenant.OrganizationId);
        return await scope.Get<ScriptContextBuilder>().BuildAsync(kind, conversation, businessId, args, eventType);
    }

    private static string[] Keys(JsonNode? node) => node!.AsObject().Select(p => p.Key).ToArray();

    [Fact]
    public async Task Build_SidebarWidget_HasTheSeedsTopLevelFieldsAndNoArgs()
    {
        var context = (await BuildAsync(FunctionKind.SidebarWidget, "A1B2C3")).Context;

        Assert.Equal(["conversation", "business", "customer", "browser_session"], Keys(context));
    }

    [Fact]
    public async Task Build_Conversation_MatchesSeedFieldByField()
    {
        var built = await BuildAsync(FunctionKind.SidebarWidget, "A1B2C3");
        var conversation = built.Context["conversation"]!;

        Assert.Equal(["id", "publicId", "subject", "businessSlug", "initialChannel", "latestChannel", "messages"], Keys(conversation));
        Assert.Equal(_webChat.Id.ToString(), (string?)conversation["id"]);
        Assert.Equal("A1B2C3", (string?)conversation["publicId"]);
        Assert.Equal("Where is my order?", (string?)conversation["subject"]);
        Assert.Equal("acme-shop", (string?)conversation["businessSlug"]);
        Assert.Equal("web", (string?)conversation["initialChannel"]);
        Assert.Equal("web", (string?)conversation["latestChannel"]);
        Assert.Equal(_webChat.Id, built.ConversationId);
        Assert.Equal(_tenant.BusinessId, built.BusinessId);
    }

    [Fact]
    public async Task Build_Messages_InOrderWithSenderIsoTimestampContentAndChannel()
    {
        var messages = (await BuildAsync(FunctionKind.SidebarWidget, "A1B2C3")).Context["conversation"]!["messages"]!.AsArray();

        Assert.Equal(3, messages.Count);
        Assert.All(messages, m => Assert.Equal(["sender", "timestamp", "content", "channel"], Keys(m)));
        Assert.Equal(["customer", "bot", "agent"], messages.Select(m => (string)m!["sender"]!).ToArray());
        Assert.Equal("Hi, where is order 1042?", (string?)messages[0]!["content"]);
        Assert.Equal("web", (string?)messages[0]!["channel"]);
        var stored = _webChat.Messages.OrderBy(m => m.Timestamp).First().Timestamp;
        Assert.Equal(stored.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"), (string?)messages[0]!["timestamp"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", (string?)messages[2]!["timestamp"]);
    }

    [Fact]
    public async Task Build_Business_HasNameAndSlug()
    {
        var business = (await BuildAsync(FunctionKind.SidebarWidget, "A1B2C3")).Context["business"]!;

        Assert.Equal(["name", "slug"], Keys(business));
        Assert.Equal("acme shop", (string?)business["name"]);
        Assert.Equal("acme-shop", (string?)business["slug"]);
    }

    [Fact]
    public async Task Build_IdentifiedCustomer_HasTheSeedsFields()
    {
        var customer = (await BuildAsync(FunctionKind.SidebarWidget, "A1B2C3")).Context["customer"]!;

        Assert.Equal(["id", "email", "name", "phone", "instagramUsername"], Keys(customer));
        Assert.Equal(_customer.Id.ToString(), (string?)customer["id"]);
        Assert.Equal("ada@example.com", (string?)customer["email"]);
        Assert.Equal("Ada Lovelace", (string?)customer["name"]);
        Assert.Equal("+44 20 7946 0000", (string?)customer["phone"]);
        Assert.Equal("ada.codes", (string?)customer["instagramUsername"]);
    }

    [Fact]
    public async Task Build_UnidentifiedCustomerAndNoBrowserSession_AreNone()
    {
        var context = (await BuildAsync(FunctionKind.SidebarWidget, "E5M4I1")).Context;

        Assert.True(context.ContainsKey("customer"));
        Assert.Null(context["customer"]);
        Assert.True(context.ContainsKey("browser_session"));
        Assert.Null(context["browser_session"]);
        Assert.Equal("email", (string?)context["conversation"]!["initialChannel"]);
    }

    [Fact]
    public async Task Build_WebChat_HasTheBrowserSession()
    {
        var session = (await BuildAsync(FunctionKind.SidebarWidget, "A1B2C3")).Context["browser_session"]!;

        Assert.Equal(["startedAt", "lastSeenAt", "userAgent", "referrer", "language", "pagesVisited"], Keys(session));
        Assert.Equal("2026-11-23T09:57:00.000Z", (string?)session["startedAt"]);
        Assert.Equal("2026-11-23T10:00:00.500Z", (string?)session["lastSeenAt"]);
        Assert.Equal("Mozilla/5.0 (X11; Linux x86_64)", (string?)session["userAgent"]);
        Assert.Equal("https://www.google.com/", (string?)session["referrer"]);
        Assert.Equal("en-GB", (string?)session["language"]);
        Assert.Equal(
            """[{"url":"https://acme.example/","title":"Home","visitedAt":"2026-11-23T09:58:00.123Z"},{"url":"https://acme.example/cart","title":"Cart","visitedAt":"2026-11-23T09:59:30.000Z"}]""",
            session["pagesVisited"]!.ToJsonString());
    }

    [Fact]
    public async Task Build_EventHandler_ArgsHoldOnlyTheEventType()
    {
        var context = (await BuildAsync(FunctionKind.EventHandler, "A1B2C3", args: new JsonObject { ["ignored"] = 1 },
            eventType: EventTypes.ConversationHandedOff)).Context;

        Assert.Equal(["conversation", "business", "customer", "args", "browser_session"], Keys(context));
        Assert.Equal("{\"event_type\":\"conversation_handed_off\"}", context["args"]!.ToJsonString());
    }

    [Fact]
    public async Task Build_EventHandlerWithoutEventType_IsRefused()
    {
        var e = await Assert.ThrowsAsync<ScriptContextException>(() => BuildAsync(FunctionKind.EventHandler, "A1B2C3"));

        Assert.Equal("event_type_required", e.Code);
        Assert.Contains("conversation_closed", e.Message);
    }

    [Fact]
    public async Task Build_CustomActionWithConversation_PassesItsArgs()
    {
        var context = (await BuildAsync(FunctionKind.CustomAction, "a1b2c3", args: new JsonObject { ["orderId"] = "1042" })).Context;

        Assert.Equal("{\"orderId\":\"1042\"}", context["args"]!.ToJsonString());
        Assert.Equal("A1B2C3", (string?)context["conversation"]!["publicId"]);
    }

    [Fact]
    public async Task Build_CustomActionWithoutConversation_HasBusinessButNoConversationCustomerOrSession()
    {
        var built = await BuildAsync(FunctionKind.CustomAction, null, businessId: _tenant.BusinessId, args: new JsonObject { ["email"] = "x@y.z" });

        Assert.Equal(["conversation", "business", "customer", "args", "browser_session"], Keys(built.Context));
        Assert.Null(built.Context["conversation"]);
        Assert.Null(built.Context["customer"]);
        Assert.Null(built.Context["browser_session"]);
        Assert.Equal("acme-shop", (string?)built.Context["business"]!["slug"]);
        Assert.Null(built.ConversationId);
        Assert.Empty(built.Metadata);
    }

    [Fact]
    public async Task Build_ConditionProviderWithoutArgs_GetsAnEmptyArgsDict()
    {
        var context = (await BuildAsync(FunctionKind.ConditionProvider, "A1B2C3")).Context;

        Assert.Equal("{}", context["args"]!.ToJsonString());
    }

    [Fact]
    public async Task Build_ByGuidOrHashPrefixedPublicId_FindsTheSameConversation()
    {
        var byGuid = await BuildAsync(FunctionKind.SidebarWidget, _webChat.Id.ToString());
        var byHash = await BuildAsync(FunctionKind.SidebarWidget, "#a1b2c3");

        Assert.Equal(_webChat.Id, byGuid.ConversationId);
        Assert.Equal(_webChat.Id, byHash.ConversationId);
    }

    [Fact]
    public async Task Build_Metadata_IsTheConversationsStoredPairs()
    {
        var built = await BuildAsync(FunctionKind.SidebarWidget, "A1B2C3");

        Assert.Equal(new Dictionary<string, string> { ["chat-widget:cart"] = "3 items", ["plan"] = "gold" }, built.Metadata);
        Assert.False(built.Context.ContainsKey("metadata"));
    }

    [Fact]
    public async Task Build_AnotherTenantsConversation_IsNotFound()
    {
        var other = await _app.CreateTenantAsync("globex", "globex-home");

        var e = await Assert.ThrowsAsync<ScriptContextException>(() =>
            BuildAsync(FunctionKind.SidebarWidget, "A1B2C3", organizationId: other.OrganizationId));

        Assert.Equal("conversation_not_found", e.Code);
    }

    [Fact]
    public async Task Build_WidgetWithoutConversation_IsRefused()
    {
        var e = await Assert.ThrowsAsync<ScriptContextException>(() => BuildAsync(FunctionKind.SidebarWidget, null, _tenant.BusinessId));

        Assert.Equal("conversation_required", e.Code);
    }

    [Fact]
    public async Task Build_ActionWithoutConversationOrBusiness_IsRefused()
    {
        var e = await Assert.ThrowsAsync<ScriptContextException>(() => BuildAsync(FunctionKind.CustomAction, null));

        Assert.Equal("business_required", e.Code);
    }
}
