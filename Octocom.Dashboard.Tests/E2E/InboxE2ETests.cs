using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.E2E;

/// <summary>Real Kestrel + Debian Chromium: an agent works through the inbox and a conversation.</summary>
[Collection(E2ECollection.Name)]
public sealed class InboxE2ETests(BrowserFixture browser, DashboardServerFixture server)
{
    private async Task<Conversation> WebConversationWithMetadataAsync()
    {
        await using var scope = server.Server.ScopeFor(1);
        await using var db = scope.Db();
        return await db.Conversations.Include(c => c.Messages).Include(c => c.Metadata)
            .Where(c => c.LatestChannel == "web" && c.Metadata.Any(m => m.Key == "chat-widget:locale") && c.MessageCount >= 3)
            .OrderBy(c => c.PublicId).FirstAsync();
    }

    [Fact]
    public async Task Agent_OpensInboxAndConversation_SeesMessagesAndMetadata()
    {
        var conversation = await WebConversationWithMetadataAsync();
        var page = await browser.NewPageAsync();
        await page.LoginAsync(server.BaseUrl, "agent@demo.octocom.local", "/inbox?view=all&status=any");

        await page.WaitForSelectorAsync("[data-testid=inbox-row-link]");
        await Assertions.Expect(page.Locator("[data-testid=inbox-total]")).ToHaveTextAsync("40 conversations");
        await page.ScreenshotToAsync("inbox");

        await page.FillAsync("input[data-testid=inbox-search]", conversation.PublicId);
        var link = page.Locator("[data-testid=inbox-row-link]", new() { HasTextString = conversation.PublicId });
        await link.WaitForAsync();
        await Assertions.Expect(page.Locator("[data-testid=inbox-row-link]")).ToHaveCountAsync(1);
        await link.ClickAsync();

        await page.WaitForSelectorAsync("[data-testid=message-list]");
        Assert.Equal("#" + conversation.PublicId, await page.TextContentAsync("[data-testid=conversation-public-id]"));
        await Assertions.Expect(page.Locator("[data-testid=message]")).ToHaveCountAsync(conversation.Messages.Count);
        var firstCustomerMessage = conversation.Messages.OrderBy(m => m.Timestamp).First(m => m.Sender == MessageSender.Customer);
        await Assertions.Expect(page.Locator("[data-testid=message][data-sender=customer]").First)
            .ToContainTextAsync(firstCustomerMessage.Content.Replace("**", "")[..20]);

        var locale = conversation.Metadata.Single(m => m.Key == "chat-widget:locale");
        await Assertions.Expect(page.Locator("[data-testid=metadata-value][data-key='chat-widget:locale']")).ToContainTextAsync(locale.Value);
        await page.ScreenshotToAsync("conversation");
    }

    [Fact]
    public async Task Agent_RepliesAndClosesConversation()
    {
        var conversation = await WebConversationWithMetadataAsync();
        var page = await browser.NewPageAsync();
        await page.LoginAsync(server.BaseUrl, "agent@demo.octocom.local", $"/conversations/{conversation.PublicId}");
        await page.WaitForSelectorAsync("[data-testid=reply-input]");

        var wasClosed = await page.Locator("[data-testid=reopen-button]").CountAsync() > 0;
        await page.FillAsync("textarea[data-testid=reply-input]", "Your replacement ships **today**.");
        await page.ClickAsync("[data-testid=reply-send]");
        await Assertions.Expect(page.Locator("[data-testid=message][data-sender=agent]").Last).ToContainTextAsync("Your replacement ships today.");

        if (wasClosed)
        {
            // Replying to a closed conversation asks whether to reopen it.
            var dialog = page.Locator(".mud-dialog", new() { HasTextString = "Reopen this conversation?" });
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Reopen" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=status-chip]")).ToHaveTextAsync("Open");
        }
        await page.ClickAsync("[data-testid=close-button]");
        await Assertions.Expect(page.Locator("[data-testid=status-chip]")).ToHaveTextAsync("Closed");
        await Assertions.Expect(page.Locator("[data-testid=timeline-event][data-type=conversation_closed]").Last).ToContainTextAsync("closed by agent:");
    }

    [Fact]
    public async Task UnknownConversation_ShowsFriendlyNotFound()
    {
        var page = await browser.NewPageAsync();
        await page.LoginAsync(server.BaseUrl, "agent@demo.octocom.local", "/conversations/NOPE42");
        await Assertions.Expect(page.Locator("[data-testid=not-found]")).ToContainTextAsync("Conversation not found");
    }

    [Fact]
    public async Task OtherOrganizationsAgent_CannotOpenTheConversation()
    {
        var conversation = await WebConversationWithMetadataAsync();
        var page = await browser.NewPageAsync();
        await page.LoginAsync(server.BaseUrl, "agent@globex.example", $"/conversations/{conversation.PublicId}");
        await Assertions.Expect(page.Locator("[data-testid=not-found]")).ToBeVisibleAsync();
        Assert.DoesNotContain(conversation.Subject, await page.ContentAsync());
    }

    [Fact]
    public async Task Anonymous_IsSentToLogin()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{server.BaseUrl}/inbox");
        Assert.Contains("/account/login", page.Url);
        await Assertions.Expect(page.Locator("[data-testid=login-form]")).ToBeVisibleAsync();
    }
}
