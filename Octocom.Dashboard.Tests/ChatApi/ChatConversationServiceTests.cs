using Microsoft.Extensions.DependencyInjection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.ChatApi;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Tests.TestInfrastructure;
using static Octocom.Dashboard.Tests.ChatApi.ChatDriver;

namespace Octocom.Dashboard.Tests.ChatApi;

public sealed class ChatConversationServiceTests : ChatServiceTestBase
{

    [Fact]
    public async Task Start_WithFirstMessage_CreatesAnOpenWebConversationStoringOnlyTheTokensHash()
    {
        var chat = await Chat.StartAsync("Where is my parcel?");

        var conversation = await Chat.ConversationAsync(chat.ConversationId);
        Assert.Equal(chat.PublicId, conversation.PublicId);
        Assert.Equal(ConversationStatus.Open, conversation.Status);
        Assert.Equal(Channels.Web, conversation.InitialChannel);
        Assert.Equal("Where is my parcel?", conversation.Subject);
        var message = Assert.Single(conversation.Messages);
        Assert.Equal(MessageSender.Customer, message.Sender);
        Assert.Equal(1, conversation.MessageCount);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(chat.Token))), conversation.ChatTokenHash);
        Assert.NotEqual(chat.Token, conversation.ChatTokenHash);
        Assert.True(chat.Token.Length >= 40);
    }

    [Fact]
    public async Task Start_WithoutMessage_KeepsTheCustomDataForTheConversation()
    {
        var chat = await Chat.StartAsync(message: null, data: Pair("plan", "gold"));

        Assert.Null(chat.Message);
        Assert.Empty((await Chat.ConversationAsync(chat.ConversationId)).Messages);
        Assert.Equal("gold", (await Chat.MetadataAsync(chat.ConversationId))["chat-widget:plan"]);
    }

    [Fact]
    public async Task Send_WrongToken_StoresNothing()
    {
        var chat = await Chat.StartAsync();
        var sent = await Chat.SendAsync(chat, "intruder", token: ChatToken.New(), data: Pair("plan", "free"));

        Assert.Null(sent);
        Assert.Single((await Chat.ConversationAsync(chat.ConversationId)).Messages);
        Assert.Empty(await Chat.MetadataAsync(chat.ConversationId));
    }

    [Fact]
    public async Task Send_AnotherConversationsToken_IsRefused()
    {
        var mine = await Chat.StartAsync();
        var theirs = await Chat.StartAsync();

        Assert.Null(await Chat.SendAsync(mine, "hijack", token: theirs.Token));
        Assert.Single((await Chat.ConversationAsync(mine.ConversationId)).Messages);
    }

    [Fact]
    public async Task Send_ThroughAnotherBusinessSlug_IsRefusedEvenWithTheRightToken()
    {
        var chat = await Chat.StartAsync();
        var other = Globex;
        var otherBusiness = await Chat.BusinessAsync(other.BusinessSlug);

        Assert.Null(await Chat.SendAsync(chat, "cross-tenant", business: otherBusiness));
        Assert.Single((await Chat.ConversationAsync(chat.ConversationId)).Messages);
    }

    [Fact]
    public async Task Start_RecordsTheBrowserSession_AndSendAppendsOnlyChangedPages()
    {
        var chat = await Chat.StartAsync("hi", new ChatPage("https://shop.example/products/boots", "Boots"),
            new ChatVisitor("Mozilla/5.0 Test", "https://www.google.com/", "fr-FR"));
        await Chat.SendAsync(chat, "same page", new ChatPage("https://shop.example/products/boots", "Boots"));
        await Chat.SendAsync(chat, "now at checkout", new ChatPage("https://shop.example/checkout", "Checkout"));
        await Chat.SendAsync(chat, "unsafe url ignored", new ChatPage("javascript:alert(1)", "x"));

        var session = (await Chat.ConversationAsync(chat.ConversationId)).BrowserSession!;
        Assert.Equal("Mozilla/5.0 Test", session.UserAgent);
        Assert.Equal("https://www.google.com/", session.Referrer);
        Assert.Equal("fr-FR", session.Language);
        var pages = BrowserSessionRecorder.Read(session);
        Assert.Equal(["https://shop.example/products/boots", "https://shop.example/checkout"], pages.Select(p => p.Url));
        Assert.Equal(["Boots", "Checkout"], pages.Select(p => p.Title));
        Assert.Contains("\"visitedAt\"", session.PagesVisitedJson);
    }

    [Fact]
    public async Task Send_ToAClosedConversation_StoresTheMessageAndReopensIt()
    {
        var chat = await Chat.StartAsync();
        await using (var scope = App.ScopeFor(Tenant.OrganizationId))
            await scope.Get<ConversationLifecycle>().CloseAsync(chat.ConversationId, "agent:test");

        await Chat.SendAsync(chat, "one more question");

        var conversation = await Chat.ConversationAsync(chat.ConversationId);
        Assert.Equal(ConversationStatus.Open, conversation.Status);
        Assert.Equal(2, conversation.Messages.Count);
        var reopened = await App.QueryAsync(Tenant.OrganizationId, db =>
            db.ConversationEvents.Where(e => e.ConversationId == chat.ConversationId && e.Type == "conversation_reopened").CountAsync());
        Assert.Equal(1, reopened);
    }

    [Fact]
    public async Task Poll_AfterCursor_ReturnsOnlyNewerMessages()
    {
        var chat = await Chat.StartAsync("first");
        var second = await Chat.SendAsync(chat, "second");

        await using var scope = App.ScopeFor(Tenant.OrganizationId);
        var service = scope.Get<ChatConversationService>();
        var all = await service.PollAsync(await Chat.BusinessAsync(), chat.ConversationId, chat.Token, 0, TimeSpan.Zero);
        var newer = await service.PollAsync(await Chat.BusinessAsync(), chat.ConversationId, chat.Token, chat.Message!.Id, TimeSpan.Zero);

        Assert.Equal(["first", "second"], all!.Messages.Select(m => m.Content));
        Assert.Equal(second!.Message.Id, all.Cursor);
        Assert.Equal(["second"], newer!.Messages.Select(m => m.Content));
        Assert.Equal("open", all.Status.ToWire());
    }

    [Fact]
    public async Task Poll_WaitingWhenAnAgentReplies_ReturnsTheReply()
    {
        var chat = await Chat.StartAsync("anyone there?");
        await using var scope = App.ScopeFor(Tenant.OrganizationId);
        var poll = scope.Get<ChatConversationService>()
            .PollAsync(await Chat.BusinessAsync(), chat.ConversationId, chat.Token, chat.Message!.Id, TimeSpan.FromSeconds(30));

        await using (var agent = App.ScopeFor(Tenant.OrganizationId))
            await agent.Get<MessageService>().AddAgentReplyAsync(chat.ConversationId, "Hi, I'm here!", "Dana");

        var page = await poll;
        var reply = Assert.Single(page!.Messages);
        Assert.Equal(MessageSender.Agent, reply.Sender);
        Assert.Equal("Dana", reply.AuthorName);
    }

    [Fact]
    public async Task Poll_WrongToken_ReturnsNull()
    {
        var chat = await Chat.StartAsync();
        await using var scope = App.ScopeFor(Tenant.OrganizationId);
        Assert.Null(await scope.Get<ChatConversationService>()
            .PollAsync(await Chat.BusinessAsync(), chat.ConversationId, "not-the-token", 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Send_PublishesAMessageChangeForOpenConversationPages()
    {
        var chat = await Chat.StartAsync();
        var changes = new List<ConversationChangeKind>();
        using var subscription = App.Services.GetRequiredService<ConversationNotifier>().Subscribe(chat.ConversationId, c =>
        {
            lock (changes) changes.Add(c.Kind);
            return Task.CompletedTask;
        });

        await Chat.SendAsync(chat, "ping", Pair("plan", "x"));

        lock (changes)
        {
            Assert.Contains(ConversationChangeKind.Message, changes);
            Assert.Contains(ConversationChangeKind.Metadata, changes);
        }
    }
}
