using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.ChatApi;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.ChatApi;

/// <summary>Drives <see cref="ChatConversationService"/> the way the public API does (inside the business's tenant scope).</summary>
public sealed class ChatDriver(TestApp app, TestData.Tenant tenant)
{
    public static (string, string?) Pair(string key, string? value) => (key, value);

    public async Task<PublicBusiness> BusinessAsync(string? slug = null) =>
        (await app.Services.GetRequiredService<PublicBusinessDirectory>().FindAsync(slug ?? tenant.BusinessSlug))!;

    public async Task<ChatStarted> StartAsync(string? message = "Hello", ChatPage? page = null, ChatVisitor? visitor = null,
        params (string Key, string? Value)[] data)
    {
        await using var scope = app.ScopeFor(tenant.OrganizationId, "chat-widget");
        return await scope.Get<ChatConversationService>().StartAsync(await BusinessAsync(),
            new ChatStartInput(message, Map(data), page, visitor ?? new ChatVisitor("UA/1.0", null, null)));
    }

    public async Task<ChatSent?> SendAsync(ChatStarted chat, string message, ChatPage? page = null, string? token = null,
        PublicBusiness? business = null, params (string Key, string? Value)[] data)
    {
        return await app.Services.GetRequiredService<ChatSendQueue>().SendAsync(business ?? await BusinessAsync(), chat.ConversationId,
            token ?? chat.Token, new ChatSendInput(message, Map(data), page));
    }

    public Task<ChatSent?> SendAsync(ChatStarted chat, string message, params (string Key, string? Value)[] data) =>
        SendAsync(chat, message, null, null, null, data);

    public Task<Dictionary<string, string>> MetadataAsync(Guid conversationId) =>
        app.QueryAsync(tenant.OrganizationId, db => db.ConversationMetadata.Where(m => m.ConversationId == conversationId)
            .ToDictionaryAsync(m => m.Key, m => m.Value));

    public Task<Conversation> ConversationAsync(Guid conversationId) =>
        app.QueryAsync(tenant.OrganizationId, db => db.Conversations.AsNoTracking()
            .Include(c => c.Customer).Include(c => c.Messages).Include(c => c.BrowserSession)
            .SingleAsync(c => c.Id == conversationId));

    public Task<List<Customer>> CustomersAsync() =>
        app.QueryAsync(tenant.OrganizationId, db => db.Customers.AsNoTracking().ToListAsync());

    private static List<KeyValuePair<string, string?>> Map((string Key, string? Value)[] data) =>
        data.Select(d => new KeyValuePair<string, string?>(d.Key, d.Value)).ToList();
}

/// <summary>A fresh app per test; the chat driver talks to the tenant "acme" (business "acme-shop").</summary>
public abstract class ChatServiceTestBase : TwoTenantTest
{
    protected TestData.Tenant Tenant => Acme;
    protected ChatDriver Chat { get; private set; } = default!;

    protected override Task SeedAsync()
    {
        Chat = new ChatDriver(App, Acme);
        return Task.CompletedTask;
    }
}
