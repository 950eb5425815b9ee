using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data.Search;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Conversations.Inbox;

/// <summary>Full-text search (SQLite FTS5, trigram) through the inbox: what it finds, how it ranks, and bad input.</summary>
public sealed class InboxSearchTests : IAsyncLifetime
{
    private TestApp _app = default!;
    private TestData.Tenant _acme = default!;
    private TestData.Tenant _other = default!;
    private Conversation _kayak = default!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.CreateAsync();
        _acme = await _app.CreateTenantAsync();
        _other = await _app.CreateTenantAsync("other", "other-shop");
        _kayak = await _app.CreateConversationAsync(_acme, "KAY001", "Question about a boat",
            customer: new Customer { Email = "ines@example.com", Name = "Inès Müller", Phone = "+49 170 5550123" },
            messages:
            [
                (MessageSender.Customer, "Hello there"),
                (MessageSender.Bot, "Hi! How can I help?"),
                (MessageSender.Customer, "My inflatable kayak arrived with a puncture near the valve, can you replace it?"),
            ]);
        await _app.CreateConversationAsync(_acme, "KAY002", "Kayak paddle sizes");
        await _app.CreateConversationAsync(_acme, "TNT001", "Tent poles", messages: [(MessageSender.Customer, "The tent is fine")]);
        await _app.CreateConversationAsync(_other, "OTH001", "Other kayak", messages: [(MessageSender.Customer, "My kayak has a puncture too")]);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<InboxPage> SearchAsync(string term, TestData.Tenant? tenant = null)
    {
        await using var scope = _app.ScopeFor((tenant ?? _acme).OrganizationId);
        return await scope.Get<InboxService>().SearchAsync(new InboxFilter(Search: term), 0, 25);
    }

    [Fact]
    public async Task FindsAConversation_ByAWordInItsThirdMessage_WithTheSnippetHighlighted()
    {
        var row = Assert.Single((await SearchAsync("puncture")).Rows);
        Assert.Equal("KAY001", row.PublicId);
        Assert.Equal("message", row.Snippet!.Field);
        Assert.Equal("puncture", Assert.Single(row.Snippet.Segments, s => s.IsMatch).Text);
        Assert.Contains("inflatable kayak arrived", row.Snippet.PlainText);
    }

    [Theory]
    [InlineData("ines@example", "customer")]
    [InlineData("muller", "customer")]        // diacritics and case folded
    [InlineData("5550123", null)]              // phone numbers are indexed (no phone in the row, so no snippet)
    [InlineData("about a boat", "subject")]
    public async Task FindsByCustomerAndSubject(string term, string? field)
    {
        var row = Assert.Single((await SearchAsync(term)).Rows);
        Assert.Equal("KAY001", row.PublicId);
        Assert.Equal(field, row.Snippet?.Field);
    }

    [Fact]
    public async Task RanksSubjectMatchesFirst_AndEveryWordMustMatch()
    {
        var page = await SearchAsync("kayak");
        Assert.Equal(["KAY002", "KAY001"], page.Rows.Select(r => r.PublicId).ToArray());
        Assert.Equal("KAY001", Assert.Single((await SearchAsync("kayak valve")).Rows).PublicId);
    }

    [Fact]
    public async Task StaysInStep_WithNewMessagesAndCustomerChanges()
    {
        await using (var scope = _app.ScopeFor(_acme.OrganizationId))
        {
            await scope.Get<MessageService>().AddAgentReplyAsync(_kayak.Id, "A replacement hull ships tomorrow", "Jane");
            await using var db = scope.Db();
            var customer = await db.Customers.FirstAsync(c => c.Email == "ines@example.com");
            customer.Name = "Ines Schwarz";
            await db.SaveChangesAsync();
        }
        Assert.Equal("KAY001", Assert.Single((await SearchAsync("replacement hull")).Rows).PublicId);
        Assert.Equal("KAY001", Assert.Single((await SearchAsync("schwarz")).Rows).PublicId);
        Assert.Empty((await SearchAsync("müller")).Rows);
    }

    [Fact]
    public async Task NeverReturnsAnotherOrganizationsMatches()
    {
        Assert.Equal(["KAY001"], (await SearchAsync("puncture")).Rows.Select(r => r.PublicId).ToArray());
        Assert.Equal(["OTH001"], (await SearchAsync("puncture", _other)).Rows.Select(r => r.PublicId).ToArray());
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("\"kayak")]
    [InlineData("kayak\"")]
    [InlineData("kay*")]
    [InlineData("NEAR(kayak puncture)")]
    [InlineData("kayak NEAR puncture")]
    [InlineData("-kayak")]
    [InlineData("kayak AND")]
    [InlineData("OR kayak")]
    [InlineData("NOT")]
    [InlineData("Subject: kayak")]
    [InlineData("{Subject} : kayak")]
    [InlineData("(((")]
    [InlineData("^kayak")]
    [InlineData("kayak'; DROP TABLE Messages; --")]
    [InlineData("\0\u0001")]
    public async Task QuerySyntax_IsTreatedAsText_NeverAnError(string term)
    {
        var page = await SearchAsync(term);
        Assert.NotNull(page);
        Assert.True(page.Total >= 0);
        // Whatever matched, matched as text: no row without the literal words the user typed.
        var terms = term.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(t => t.Length >= 3).ToList();
        foreach (var row in page.Rows)
            Assert.All(terms, t => Assert.True(
                (row.Subject + " " + row.Snippet?.PlainText).Contains(t, StringComparison.OrdinalIgnoreCase) || row.Snippet is not null,
                $"{row.PublicId} does not contain '{t}'"));
    }

    [Fact]
    public async Task QuotedAndOperatorLookingText_MatchesLiterally()
    {
        await _app.CreateConversationAsync(_acme, "OPS001", "Order \"NEAR\" -5 * AND");
        Assert.Equal("OPS001", Assert.Single((await SearchAsync("\"NEAR\"")).Rows).PublicId);
        Assert.Equal("OPS001", Assert.Single((await SearchAsync("* AND")).Rows).PublicId);
    }

    [Fact]
    public async Task TooShortTerms_SayWhy()
    {
        var page = await SearchAsync("ka");
        Assert.Equal(0, page.Total);
        Assert.Contains("at least 3 characters", page.Notice);
    }

    [Fact]
    public async Task MissingTriggers_AreRecreatedAndTheIndexRebuilt()
    {
        await using (var scope = _app.ScopeFor(_acme.OrganizationId))
        {
            await using var db = scope.Db();
            await scope.Get<IConversationSearchIndex>().SuspendAsync(db); // what a SQLite table rebuild in a migration does
            await _app.CreateConversationAsync(_acme, "LAT001", "Written while the triggers were missing");
            await scope.Get<IConversationSearchIndex>().EnsureAsync(db);
        }
        Assert.Equal("LAT001", Assert.Single((await SearchAsync("triggers were missing")).Rows).PublicId);
        Assert.Equal("KAY001", Assert.Single((await SearchAsync("puncture")).Rows).PublicId);
    }
}
