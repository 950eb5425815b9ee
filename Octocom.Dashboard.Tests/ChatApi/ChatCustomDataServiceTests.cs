using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.ChatApi;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Metadata;
using Octocom.Dashboard.Tests.TestInfrastructure;
using static Octocom.Dashboard.Tests.ChatApi.ChatDriver;

namespace Octocom.Dashboard.Tests.ChatApi;

/// <summary>Every custom-data rule of seed 001, through the same service path the public API uses.</summary>
public sealed class ChatCustomDataServiceTests : ChatServiceTestBase
{

    [Fact]
    public async Task Start_StrippedKey_IsStoredWithChatWidgetPrefixAndSource()
    {
        var chat = await Chat.StartAsync(data: Pair("user_id", "12345"));

        Assert.Empty(chat.Rejected);
        var stored = await App.QueryAsync(Tenant.OrganizationId, db =>
            Task.FromResult(db.ConversationMetadata.Single(m => m.ConversationId == chat.ConversationId)));
        Assert.Equal("chat-widget:user_id", stored.Key);
        Assert.Equal("12345", stored.Value);
        Assert.Equal(MetadataSources.ChatWidget, stored.Source);
        Assert.Equal(12345, stored.NumericValue);
    }

    [Fact]
    public async Task Send_KeyStillCarryingTheExactLocalStoragePrefix_IsStrippedOnce()
    {
        var chat = await Chat.StartAsync();
        await Chat.SendAsync(chat, "hi", Pair("octocom:data:plan", "enterprise"));

        var metadata = await Chat.MetadataAsync(chat.ConversationId);
        Assert.Equal("enterprise", metadata["chat-widget:plan"]);
        Assert.DoesNotContain("chat-widget:octocom:data:plan", metadata.Keys);
    }

    [Theory]
    [InlineData("Octocom:Data:plan")]
    [InlineData("octocom:dataplan")]
    [InlineData("octocom-data:plan")]
    public async Task Send_KeyWithADifferentPrefix_IsNotStrippedOnlyTheExactPrefixCounts(string key)
    {
        var chat = await Chat.StartAsync();
        await Chat.SendAsync(chat, "hi", Pair(key, "x"));

        var metadata = await Chat.MetadataAsync(chat.ConversationId);
        Assert.Equal("x", metadata["chat-widget:" + key]);
        Assert.DoesNotContain("chat-widget:plan", metadata.Keys);
    }

    [Fact]
    public async Task Send_SameKeyWithNewValue_UpdatesTheOnePair()
    {
        var chat = await Chat.StartAsync(data: Pair("plan", "basic"));
        await Chat.SendAsync(chat, "upgraded", Pair("plan", "premium"));

        var metadata = await Chat.MetadataAsync(chat.ConversationId);
        Assert.Single(metadata);
        Assert.Equal("premium", metadata["chat-widget:plan"]);
    }

    [Fact]
    public async Task Send_SameValueAgain_LeavesThePairUntouched()
    {
        var chat = await Chat.StartAsync(data: Pair("plan", "basic"));
        var before = await App.QueryAsync(Tenant.OrganizationId, db => db.ConversationMetadata.SingleAsync(m => m.ConversationId == chat.ConversationId));
        await Task.Delay(20); // timestamps would differ if the row were rewritten

        await Chat.SendAsync(chat, "again", Pair("plan", "basic"));

        var after = await App.QueryAsync(Tenant.OrganizationId, db => db.ConversationMetadata.SingleAsync(m => m.ConversationId == chat.ConversationId));
        Assert.Equal(before.UpdatedAt, after.UpdatedAt);
    }

    [Fact]
    public async Task Send_KeyMissingFromTheLaterMap_IsNotDeleted()
    {
        var chat = await Chat.StartAsync(data: [Pair("user_id", "test-123"), Pair("plan", "basic")]);
        await Chat.SendAsync(chat, "logged out", Pair("plan", "basic"));

        var metadata = await Chat.MetadataAsync(chat.ConversationId);
        Assert.Equal("test-123", metadata["chat-widget:user_id"]);
        Assert.Equal("basic", metadata["chat-widget:plan"]);
    }

    [Fact]
    public async Task Send_NewKeyMidConversation_IsAdded()
    {
        var chat = await Chat.StartAsync(data: Pair("plan", "basic"));
        await Chat.SendAsync(chat, "I just logged in", Pair("plan", "basic"), Pair("user_id", "42"));

        Assert.Equal("42", (await Chat.MetadataAsync(chat.ConversationId))["chat-widget:user_id"]);
    }

    [Fact]
    public async Task Send_StoredKeyOfExactly200Characters_IsStored()
    {
        var name = new string('k', 200 - MetadataLimits.ChatWidgetPrefix.Length); // 188 + "chat-widget:" = 200
        var chat = await Chat.StartAsync();
        var sent = await Chat.SendAsync(chat, "hi", Pair(name, "v"));

        Assert.Empty(sent!.Rejected);
        Assert.Equal("v", (await Chat.MetadataAsync(chat.ConversationId))["chat-widget:" + name]);
    }

    [Fact]
    public async Task Send_StoredKeyOf201Characters_IsRejectedAndTheMessageIsStillStored()
    {
        var name = new string('k', 201 - MetadataLimits.ChatWidgetPrefix.Length);
        var chat = await Chat.StartAsync();
        var sent = await Chat.SendAsync(chat, "still here", Pair(name, "v"), Pair("plan", "ok"));

        var rejection = Assert.Single(sent!.Rejected);
        Assert.Equal(name, rejection.Key);
        Assert.Equal("chat-widget:" + name, rejection.MetadataKey);
        Assert.Equal(MetadataRules.KeyTooLong, rejection.Rule);
        Assert.Contains("200", rejection.Message);
        Assert.Equal(ChatDataTargets.Metadata, rejection.Target);
        var metadata = await Chat.MetadataAsync(chat.ConversationId);
        Assert.Equal(["chat-widget:plan"], metadata.Keys);
        Assert.Contains((await Chat.ConversationAsync(chat.ConversationId)).Messages, m => m.Content == "still here");
    }

    [Fact]
    public async Task Send_ValueOfExactly50000Characters_IsStored()
    {
        var chat = await Chat.StartAsync();
        var sent = await Chat.SendAsync(chat, "hi", Pair("recent_orders", new string('x', 50_000)));

        Assert.Empty(sent!.Rejected);
        Assert.Equal(50_000, (await Chat.MetadataAsync(chat.ConversationId))["chat-widget:recent_orders"].Length);
    }

    [Fact]
    public async Task Send_ValueOf50001Characters_IsRejectedAndTheMessageIsStillStored()
    {
        var chat = await Chat.StartAsync();
        var sent = await Chat.SendAsync(chat, "my orders", Pair("recent_orders", new string('x', 50_001)));

        var rejection = Assert.Single(sent!.Rejected);
        Assert.Equal(MetadataRules.ValueTooLong, rejection.Rule);
        Assert.Contains("50,000", rejection.Message);
        Assert.Empty(await Chat.MetadataAsync(chat.ConversationId));
        Assert.Contains((await Chat.ConversationAsync(chat.ConversationId)).Messages, m => m.Content == "my orders");
    }

    [Fact]
    public async Task Send_The201stPair_IsRejectedWhileExistingPairsStillUpdate()
    {
        var first200 = Enumerable.Range(0, 200).Select(i => Pair($"key{i:000}", "v")).ToArray();
        var chat = await Chat.StartAsync(data: first200);
        Assert.Empty(chat.Rejected);

        var sent = await Chat.SendAsync(chat, "one more", Pair("key000", "changed"), Pair("key200", "v"));

        var rejection = Assert.Single(sent!.Rejected);
        Assert.Equal("key200", rejection.Key);
        Assert.Equal(MetadataRules.TooManyPairs, rejection.Rule);
        Assert.Contains("200", rejection.Message);
        var metadata = await Chat.MetadataAsync(chat.ConversationId);
        Assert.Equal(200, metadata.Count);
        Assert.Equal("changed", metadata["chat-widget:key000"]);
    }

    [Fact]
    public async Task Start_MapOf201Keys_Stores200AndRejectsTheLast()
    {
        var chat = await Chat.StartAsync(data: Enumerable.Range(0, 201).Select(i => Pair($"key{i:000}", "v")).ToArray());

        Assert.Equal("key200", Assert.Single(chat.Rejected).Key);
        Assert.Equal(200, (await Chat.MetadataAsync(chat.ConversationId)).Count);
    }

    [Fact]
    public async Task Send_NullValue_IsRejectedAndTheStoredValueIsKept()
    {
        var chat = await Chat.StartAsync(data: Pair("plan", "basic"));
        var sent = await Chat.SendAsync(chat, "hi", Pair("plan", null));

        Assert.Equal(ChatDataRules.ValueNull, Assert.Single(sent!.Rejected).Rule);
        Assert.Equal("basic", (await Chat.MetadataAsync(chat.ConversationId))["chat-widget:plan"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("octocom:data:")]
    public async Task Send_KeyWithoutAName_IsRejected(string key)
    {
        var chat = await Chat.StartAsync();
        var sent = await Chat.SendAsync(chat, "hi", Pair(key, "v"));

        Assert.Equal(ChatDataRules.KeyRequired, Assert.Single(sent!.Rejected).Rule);
        Assert.Empty(await Chat.MetadataAsync(chat.ConversationId));
    }

    [Fact]
    public async Task Start_EmailKey_CreatesTheCustomerWithTheNormalizedEmailAndLinksIt()
    {
        var chat = await Chat.StartAsync(data: [Pair("email", "  Ada@Example.COM "), Pair("name", "Ada Lovelace"), Pair("phone", "+44 20 7946 0958")]);

        Assert.Empty(chat.Rejected);
        var conversation = await Chat.ConversationAsync(chat.ConversationId);
        Assert.NotNull(conversation.Customer);
        Assert.Equal("ada@example.com", conversation.Customer.Email);
        Assert.Equal("Ada Lovelace", conversation.Customer.Name);
        Assert.Equal("+44 20 7946 0958", conversation.Customer.Phone);
        Assert.Equal("  Ada@Example.COM ", (await Chat.MetadataAsync(chat.ConversationId))["chat-widget:email"]);
    }

    [Fact]
    public async Task Send_EmailOfAnExistingCustomer_LinksThatCustomerWithoutCreatingAnother()
    {
        var first = await Chat.StartAsync(data: Pair("email", "grace@example.com"));
        var second = await Chat.StartAsync();
        await Chat.SendAsync(second, "it's me again", Pair("email", "GRACE@example.com"));

        var customers = await Chat.CustomersAsync();
        var customer = Assert.Single(customers);
        Assert.Equal(customer.Id, (await Chat.ConversationAsync(first.ConversationId)).CustomerId);
        Assert.Equal(customer.Id, (await Chat.ConversationAsync(second.ConversationId)).CustomerId);
    }

    [Fact]
    public async Task Send_NameWithoutEmail_CreatesAnAnonymousCustomerThatALaterEmailIdentifies()
    {
        var chat = await Chat.StartAsync(data: Pair("name", "Linus"));
        var anonymous = (await Chat.ConversationAsync(chat.ConversationId)).Customer!;
        Assert.Null(anonymous.Email);
        Assert.Equal("Linus", anonymous.Name);

        await Chat.SendAsync(chat, "logged in now", Pair("name", "Linus T."), Pair("email", "linus@example.org"));

        var customer = Assert.Single(await Chat.CustomersAsync());
        Assert.Equal(anonymous.Id, customer.Id);
        Assert.Equal("linus@example.org", customer.Email);
        Assert.Equal("Linus T.", customer.Name);
    }

    [Fact]
    public async Task Send_DifferentEmailThanTheLinkedCustomer_CreatesAndLinksANewCustomerLeavingTheOldOneAlone()
    {
        var chat = await Chat.StartAsync(data: Pair("email", "first@example.com"));
        await Chat.SendAsync(chat, "switched accounts", Pair("email", "second@example.com"));

        var customers = await Chat.CustomersAsync();
        Assert.Equal(["first@example.com", "second@example.com"], customers.Select(c => c.Email).Order());
        var linked = (await Chat.ConversationAsync(chat.ConversationId)).Customer!;
        Assert.Equal("second@example.com", linked.Email);
    }

    [Fact]
    public async Task Send_EmailOfACustomerInAnotherOrganization_CreatesACustomerInThisOne()
    {
        var other = Globex;
        await new ChatDriver(App, other).StartAsync(data: Pair("email", "shared@example.com"));

        var chat = await Chat.StartAsync(data: Pair("email", "shared@example.com"));

        var mine = Assert.Single(await Chat.CustomersAsync());
        Assert.Equal(Tenant.OrganizationId, mine.OrganizationId);
        Assert.Equal(mine.Id, (await Chat.ConversationAsync(chat.ConversationId)).CustomerId);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b")]
    [InlineData("two@@example.com")]
    [InlineData("spaces in@example.com")]
    public async Task Send_InvalidEmail_IsReportedNotAppliedToTheCustomerButKeptAsMetadata(string email)
    {
        var chat = await Chat.StartAsync(data: Pair("name", "Ada"));
        var sent = await Chat.SendAsync(chat, "hi", Pair("email", email), Pair("name", "Ada"));

        var rejection = Assert.Single(sent!.Rejected);
        Assert.Equal("email", rejection.Key);
        Assert.Equal(ChatCustomerRules.InvalidEmail, rejection.Rule);
        Assert.Equal(ChatDataTargets.Customer, rejection.Target);
        Assert.Contains("not a valid email", rejection.Message);
        var customer = Assert.Single(await Chat.CustomersAsync());
        Assert.Null(customer.Email);
        Assert.Equal(email, (await Chat.MetadataAsync(chat.ConversationId))["chat-widget:email"]);
    }

    [Fact]
    public async Task Start_InvalidEmailOnly_CreatesNoCustomer()
    {
        var chat = await Chat.StartAsync(data: Pair("email", "nope"));

        Assert.Equal(ChatCustomerRules.InvalidEmail, Assert.Single(chat.Rejected).Rule);
        Assert.Empty(await Chat.CustomersAsync());
        Assert.Null((await Chat.ConversationAsync(chat.ConversationId)).CustomerId);
    }

    [Fact]
    public async Task Send_InvalidPhone_IsReportedWhileTheValidEmailIsApplied()
    {
        var chat = await Chat.StartAsync();
        var sent = await Chat.SendAsync(chat, "hi", Pair("email", "ok@example.com"), Pair("phone", "call me maybe"));

        var rejection = Assert.Single(sent!.Rejected);
        Assert.Equal(ChatCustomerRules.InvalidPhone, rejection.Rule);
        var customer = Assert.Single(await Chat.CustomersAsync());
        Assert.Equal("ok@example.com", customer.Email);
        Assert.Null(customer.Phone);
    }

    [Fact]
    public async Task Send_BlankSpecialKey_LeavesTheCustomerAlone()
    {
        var chat = await Chat.StartAsync(data: Pair("email", "kept@example.com"));
        var sent = await Chat.SendAsync(chat, "hi", Pair("email", ""));

        Assert.Empty(sent!.Rejected);
        Assert.Equal("kept@example.com", (await Chat.ConversationAsync(chat.ConversationId)).Customer!.Email);
    }
}
