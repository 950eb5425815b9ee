using System.Net;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.ChatApi;

namespace Octocom.Dashboard.Tests.ChatApi;

/// <summary>A conversation token stops working after ChatApi:TokenIdleLifetime (90 days by default) without a message.</summary>
public sealed class ChatTokenLifetimeTests(ChatApiServerFixture fixture) : IClassFixture<ChatApiServerFixture>, IDisposable
{
    private const string Slug = ChatApiServerFixture.OpenSlug;
    private readonly ChatApiClient _client = new(fixture.Server.BaseUrl);

    public void Dispose() => _client.Dispose();

    private Task IdleForAsync(Guid conversationId, TimeSpan idle) => fixture.QueryAsync(db => db.Conversations
        .Where(c => c.Id == conversationId)
        .ExecuteUpdateAsync(c => c.SetProperty(x => x.LastActivityAt, DateTime.UtcNow - idle)));

    [Fact]
    public async Task TokenOfAConversationIdleLongerThanTheLifetime_NoLongerOpensIt()
    {
        var chat = await _client.StartAsync(Slug, new { message = "Hello from last season" });
        await IdleForAsync(chat.ConversationId, TimeSpan.FromDays(91));
        var messagesBefore = await fixture.QueryAsync(db => db.Messages.CountAsync(m => m.ConversationId == chat.ConversationId));

        await ChatApiClient.AssertProblemAsync(await _client.SendAsync(Slug, chat.ConversationId, chat.Token, new { message = "Back again" }),
            HttpStatusCode.Forbidden, ChatProblems.TokenInvalid);
        await ChatApiClient.AssertProblemAsync(await _client.PollAsync(Slug, chat.ConversationId, chat.Token),
            HttpStatusCode.Forbidden, ChatProblems.TokenInvalid);
        await ChatApiClient.AssertProblemAsync(await _client.ChangeStatusAsync(Slug, chat.ConversationId, chat.Token, "close"),
            HttpStatusCode.Forbidden, ChatProblems.TokenInvalid);
        Assert.Equal(messagesBefore, await fixture.QueryAsync(db => db.Messages.CountAsync(m => m.ConversationId == chat.ConversationId)));
    }

    [Fact]
    public async Task TokenOfAConversationActiveWithinTheLifetime_StillOpensIt()
    {
        var chat = await _client.StartAsync(Slug, new { message = "Hello from last month" });
        await IdleForAsync(chat.ConversationId, TimeSpan.FromDays(89));

        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(Slug, chat.ConversationId, chat.Token, new { message = "Back again" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.PollAsync(Slug, chat.ConversationId, chat.Token)).StatusCode);
    }

    [Theory]
    [InlineData(0, true)]    // zero: tokens never expire
    [InlineData(-1, true)]
    [InlineData(30, false)]
    public void IdleLifetimeSetting_IsHonoured(int lifetimeDays, bool opens)
    {
        var token = ChatToken.New();
        var now = DateTime.UtcNow;
        Assert.Equal(opens, ChatToken.Opens(token, ChatToken.Hash(token), now.AddDays(-365), now, TimeSpan.FromDays(lifetimeDays)));
    }
}
