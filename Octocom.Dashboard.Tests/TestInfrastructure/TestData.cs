using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Tests.TestInfrastructure;

/// <summary>Builders for small, explicit data sets (tests that need exact data do not rely on the random demo seed).</summary>
public static class TestData
{
    public sealed record Tenant(int OrganizationId, int BusinessId, string BusinessSlug);

    public static async Task<Tenant> CreateTenantAsync(this TestApp app, string slug = "acme", string businessSlug = "acme-shop")
    {
        await using var scope = app.AnonymousScope();
        await using var db = scope.Db();
        var org = new Organization { Name = slug.ToUpperInvariant(), Slug = slug };
        db.Organizations.Add(org);
        await db.SaveChangesAsync();
        var business = new Business { OrganizationId = org.Id, Name = $"{slug} shop", Slug = businessSlug };
        db.Businesses.Add(business);
        await db.SaveChangesAsync();
        return new Tenant(org.Id, business.Id, businessSlug);
    }

    public static async Task<Conversation> CreateConversationAsync(this TestApp app, Tenant tenant, string? publicId = null,
        string subject = "Help with my order", string channel = Channels.Web, Customer? customer = null,
        IEnumerable<(MessageSender Sender, string Content)>? messages = null, IDictionary<string, string>? metadata = null,
        ConversationStatus status = ConversationStatus.Open)
    {
        await using var scope = app.ScopeFor(tenant.OrganizationId);
        await using var db = scope.Db();
        if (customer is not null)
        {
            customer.OrganizationId = tenant.OrganizationId;
            db.Customers.Add(customer);
        }
        var conversation = new Conversation
        {
            OrganizationId = tenant.OrganizationId,
            BusinessId = tenant.BusinessId,
            PublicId = publicId ?? PublicIdGenerator.Next(),
            Subject = subject,
            Status = status,
            CustomerId = customer?.Id,
            InitialChannel = channel,
            LatestChannel = channel,
        };
        var at = DateTime.UtcNow.AddMinutes(-30);
        foreach (var (sender, content) in messages ?? [(MessageSender.Customer, "Hi, where is my order?")])
        {
            at = at.AddMinutes(1);
            conversation.Messages.Add(new Message
            {
                OrganizationId = tenant.OrganizationId, ConversationId = conversation.Id, Sender = sender, Content = content, Channel = channel, Timestamp = at,
            });
        }
        conversation.MessageCount = conversation.Messages.Count;
        Octocom.Dashboard.Conversations.Inbox.InboxTimes.FromMessages(conversation);
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            conversation.Metadata.Add(new Octocom.Dashboard.Metadata.ConversationMetadata
            {
                OrganizationId = tenant.OrganizationId, ConversationId = conversation.Id, Key = key, Value = value,
                NumericValue = Octocom.Dashboard.Metadata.MetadataService.ParseNumber(value),
            });
        db.Conversations.Add(conversation);
        await db.SaveChangesAsync();
        return conversation;
    }

    /// <summary>A user of the tenant with one role (display name = <paramref name="name"/>); returns the user id.</summary>
    public static async Task<string> CreateUserAsync(this TestApp app, Tenant tenant, string name, string role)
    {
        await using var scope = app.ScopeFor(tenant.OrganizationId);
        var email = $"{name.ToLowerInvariant().Replace(' ', '.')}.{tenant.OrganizationId}@example.test";
        var result = await scope.Get<Octocom.Dashboard.Accounts.UserAdminService>()
            .CreateAsync(new Octocom.Dashboard.Accounts.NewUser(email, name, role, "Initial-Passw0rd!"));
        Assert.True(result.Succeeded, result.ErrorText);
        return result.UserId!;
    }

    /// <summary>A scope acting as a signed-in user (id, display name, organization, role claims), like their circuit.</summary>
    public static AsyncServiceScope ScopeForUser(this TestApp app, Tenant tenant, string userId, string displayName, string role = "Agent")
    {
        var scope = app.Services.CreateAsyncScope();
        scope.Get<TenantContext>().SetUser(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
        [
            new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, userId),
            new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, displayName),
            new System.Security.Claims.Claim("octocom:display_name", displayName),
            new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, role),
            new System.Security.Claims.Claim(TenantContext.OrganizationClaim, tenant.OrganizationId.ToString()),
        ], "test")));
        return scope;
    }

    public static async Task<T> QueryAsync<T>(this TestApp app, int organizationId, Func<DashboardDbContext, Task<T>> query)
    {
        await using var scope = app.ScopeFor(organizationId);
        await using var db = scope.Db();
        return await query(db);
    }
}
