using Bunit;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Conversations.Components;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Conversations.Components;

public sealed class MessageListTests : BunitTestContext
{
    private static Message Msg(MessageSender sender, string content, string channel = "web", string? author = null) =>
        new() { Sender = sender, Content = content, Channel = channel, Timestamp = new DateTime(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc), AuthorName = author };

    [Fact]
    public void Render_DistinguishesCustomerBotAndAgent()
    {
        var cut = Render<MessageList>(p => p
            .Add(x => x.Messages, [Msg(MessageSender.Customer, "Hi"), Msg(MessageSender.Bot, "Hello!"), Msg(MessageSender.Agent, "I can help", author: "Sam Rivera")])
            .Add(x => x.CustomerName, "Jane Doe"));

        var messages = cut.FindAll("[data-testid=message]");
        Assert.Equal(["customer", "bot", "agent"], messages.Select(m => m.GetAttribute("data-sender")));
        Assert.Contains("Jane Doe", messages[0].TextContent);
        Assert.Contains("Bot", messages[1].TextContent);
        Assert.Contains("Sam Rivera (agent)", messages[2].TextContent);
        Assert.All(messages, m => Assert.NotNull(m.QuerySelector("time[datetime]")));
    }

    [Fact]
    public void Render_ShowsChannelIconPerMessage()
    {
        var cut = Render<MessageList>(p => p.Add(x => x.Messages, [Msg(MessageSender.Customer, "a", "email"), Msg(MessageSender.Customer, "b", "instagram")]));
        Assert.Equal(["email", "instagram"], cut.FindAll(".octo-channel-icon").Select(e => e.GetAttribute("data-channel")));
    }

    [Fact]
    public void Render_MarkdownWithoutRawHtmlOrScriptLinks()
    {
        var cut = Render<MessageList>(p => p.Add(x => x.Messages,
            [Msg(MessageSender.Customer, "**bold** <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://example.com)")]));

        var body = cut.Find(".octo-message-body");
        Assert.NotNull(body.QuerySelector("strong"));
        Assert.Null(body.QuerySelector("script"));
        Assert.Contains("<script>", body.TextContent);
        var links = body.QuerySelectorAll("a");
        Assert.Equal("https://example.com", Assert.Single(links).GetAttribute("href"));
    }

    [Fact]
    public void Render_NoMessages_SaysSo()
    {
        var cut = Render<MessageList>(p => p.Add(x => x.Messages, []));
        Assert.Contains("No messages yet", cut.Markup);
    }
}
