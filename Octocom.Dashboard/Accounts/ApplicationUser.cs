using Microsoft.AspNetCore.Identity;

namespace Octocom.Dashboard.Accounts;

/// <summary>
/// A dashboard user. Users are not behind the tenant query filter (sign-in must find them before a tenant is known);
/// every user-management query filters on <see cref="OrganizationId"/> explicitly in <c>UserAdminService</c>.
/// </summary>
public class ApplicationUser : IdentityUser
{
    public int OrganizationId { get; set; }
    public string DisplayName { get; set; } = "";
}

public static class Roles
{
    public const string Admin = "Admin";
    public const string Agent = "Agent";
    public const string Manager = "Manager";
    public static readonly string[] All = [Admin, Agent, Manager];
}

/// <summary>Authorization policies; pages and endpoints name a policy, never a role list.</summary>
public static class Policies
{
    /// <summary>Inbox and conversation pages, read-only: every role.</summary>
    public const string ReadConversations = nameof(ReadConversations);
    /// <summary>Reply, close, hand off, edit agent metadata, run widgets and actions: agents and admins.</summary>
    public const string WorkConversations = nameof(WorkConversations);
    /// <summary>Scripts, event handlers, businesses, users, secrets, audit: admins.</summary>
    public const string Administer = nameof(Administer);
    /// <summary>Analytics and exports: managers and admins.</summary>
    public const string ViewAnalytics = nameof(ViewAnalytics);
}
