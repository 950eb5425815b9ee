using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.ChatApi;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Scripting;

namespace Octocom.Dashboard.Tests.ChatApi;

/// <summary>The visitor asks for a human or ends the chat through the public API; both go through ConversationLifecycle.</summary>
public sealed class ChatStatusEndpointTests(ChatApiServerFixture fixture) : IClassFixture<ChatApiServerFixture>, IDisposable
{
    private const string Slug = ChatApiServerFixture.OpenSlug;
    private readonly ChatApiClient _client = new(fixture.Server.BaseUrl);

    public void Dispose() => _client.Dispose();

    private Task<Conversation> ConversationAsync(Guid id) =>
        fixture.QueryAsync(db => db.Conversations.Include(c => c.Events).SingleAsync(c => c.Id == id));

    [Fact]
    public async Task Handoff_WithToken_HandsOffAndQueuesHandoffHandlers()
    {
        var handlers = await fixture.QueryAsync(db => db.PythonFunctions
            .CountAsync(f => f.Kind == FunctionKind.EventHandler && f.IsActive && f.EventType == EventTypes.ConversationHandedOff));
        var chat = await _client.StartAsync(Slug, new { message = "I want to talk to a person" });

        var response = await _client.ChangeStatusAsync(Slug, chat.ConversationId, chat.Token, "handoff");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("handed_off", true), (body.GetProperty("status").GetString(), body.GetProperty("changed").GetBoolean()));
        var conversation = await ConversationAsync(chat.ConversationId);
        Assert.Equal(ConversationStatus.HandedOff, conversation.Status);
        Assert.Contains(conversation.Events, e => e.Type == EventTypes.ConversationHandedOff && e.Source == "customer");
        Assert.Equal(handlers, await fixture.QueryAsync(db => db.EventJobs.CountAsync(j => j.ConversationId == chat.ConversationId)));

        var again = await (await _client.ChangeStatusAsync(Slug, chat.ConversationId, chat.Token, "handoff")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(again.GetProperty("changed").GetBoolean());
    }

    [Fact]
    public async Task Close_WithToken_ClosesAndALaterMessageReopens()
    {
        var chat = await _client.StartAsync(Slug, new { message = "Thanks, that's all" });

        var response = await _client.ChangeStatusAsync(Slug, chat.ConversationId, chat.Token, "close");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ConversationStatus.Closed, (await ConversationAsync(chat.ConversationId)).Status);
        var send = await _client.SendAsync(Slug, chat.ConversationId, chat.Token, new { message = "One more question" });
        Assert.Equal(HttpStatusCode.OK, send.StatusCode);
        Assert.Equal(ConversationStatus.Open, (await ConversationAsync(chat.ConversationId)).Status);
    }

    [Theory]
    [InlineData("handoff")]
    [InlineData("close")]
    public async Task ChangeStatus_WithoutOrWithAnotherToken_IsRefusedAndChangesNothing(string action)
    {
        var mine = await _client.StartAsync(Slug, new { message = "hello" });
        var theirs = await _client.StartAsync(Slug, new { message = "hello" });

        await ChatApiClient.AssertProblemAsync(await _client.ChangeStatusAsync(Slug, mine.ConversationId, null, action),
            HttpStatusCode.Unauthorized, ChatProblems.TokenRequired);
        await ChatApiClient.AssertProblemAsync(await _client.ChangeStatusAsync(Slug, mine.ConversationId, theirs.Token, action),
            HttpStatusCode.Forbidden, ChatProblems.TokenInvalid);
        Assert.Equal(ConversationStatus.Open, (await ConversationAsync(mine.ConversationId)).Status);
    }
}
