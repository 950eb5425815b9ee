using System.CommandLine;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Octocom.Dashboard.Cli;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Accounts;

/// <summary>
/// <c>users create|list|reset-password</c>: user management without the web UI — how a production install
/// (DemoData:CreateUsers=false) gets its first admin, and how an operator recovers a locked-out admin.
/// Changes are written to the audit trail with the actor "cli".
/// </summary>
public sealed class UsersCliCommand : ICliCommand
{
    public const string Actor = "cli";

    public Command Build(IServiceProvider services) =>
        new("users", "Create, list and reset dashboard users") { Create(services), List(services), ResetPassword(services) };

    private static Command Create(IServiceProvider services)
    {
        var email = new Option<string>("--email") { Description = "Sign-in email of the new user", Required = true };
        var role = new Option<string>("--role") { Description = $"One of {string.Join(", ", Roles.All)}", Required = true };
        var organization = new Option<string>("--organization") { Description = "Organization slug, e.g. 'demo'", Required = true };
        var password = new Option<string?>("--password") { Description = "Initial password (omit to read it from stdin, which keeps it out of shell history)" };
        var name = new Option<string?>("--name") { Description = "Display name (default: the email)" };
        var organizationName = new Option<string?>("--organization-name") { Description = "Create the organization with this name if the slug does not exist yet" };
        var command = new Command("create", "Create a user in an organization") { email, role, organization, password, name, organizationName };
        command.SetAction(async (result, ct) =>
        {
            var slug = result.GetValue(organization)!.Trim();
            var org = await ResolveOrganizationAsync(result, services, slug, result.GetValue(organizationName), ct);
            if (org is null) return 1;
            var roleName = Roles.All.FirstOrDefault(r => string.Equals(r, result.GetValue(role), StringComparison.OrdinalIgnoreCase));
            if (roleName is null) return Fail(result, $"Unknown role '{result.GetValue(role)}'. Choose {string.Join(", ", Roles.All)}.");
            var secret = result.GetValue(password) ?? ReadPassword();

            await using var scope = services.GetRequiredService<TenantScopes>().Create(org.Id, Actor);
            var created = await scope.ServiceProvider.GetRequiredService<UserAdminService>()
                .CreateAsync(new NewUser(result.GetValue(email)!, result.GetValue(name) ?? "", roleName, secret), ct);
            if (!created.Succeeded) return Fail(result, "Could not create the user: " + created.ErrorText);
            result.InvocationConfiguration.Output.WriteLine($"Created {roleName} {result.GetValue(email)!.Trim()} in organization '{org.Slug}' ({org.Name}).");
            return 0;
        });
        return command;
    }

    private static Command List(IServiceProvider services)
    {
        var organization = new Option<string>("--organization") { Description = "Organization slug", Required = true };
        var command = new Command("list", "List an organization's users") { organization };
        command.SetAction(async (result, ct) =>
        {
            var org = await services.GetRequiredService<OrganizationService>().FindBySlugAsync(result.GetValue(organization)!.Trim(), ct);
            if (org is null) return await UnknownOrganizationAsync(result, services, result.GetValue(organization)!, ct);
            await using var scope = services.GetRequiredService<TenantScopes>().Create(org.Id, Actor);
            foreach (var user in await scope.ServiceProvider.GetRequiredService<UserAdminService>().ListAsync(ct))
                result.InvocationConfiguration.Output.WriteLine($"{user.Email,-40} {user.Role,-8} {(user.IsLockedOut ? "locked" : "active")}");
            return 0;
        });
        return command;
    }

    private static Command ResetPassword(IServiceProvider services)
    {
        var email = new Option<string>("--email") { Description = "The user's sign-in email", Required = true };
        var password = new Option<string?>("--password") { Description = "New password (omit to read it from stdin)" };
        var command = new Command("reset-password", "Set a user's password and unlock the account") { email, password };
        command.SetAction(async (result, ct) =>
        {
            await using var lookup = services.CreateAsyncScope();
            var user = await lookup.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(result.GetValue(email)!.Trim());
            if (user is null) return Fail(result, $"There is no user '{result.GetValue(email)}'.");
            var secret = result.GetValue(password) ?? ReadPassword();

            // Acting for the user's own organization: the admin service only finds users of the scope's organization.
            await using var scope = services.GetRequiredService<TenantScopes>().Create(user.OrganizationId, Actor);
            var admin = scope.ServiceProvider.GetRequiredService<UserAdminService>();
            var reset = await admin.ResetPasswordAsync(user.Id, secret, ct);
            if (!reset.Succeeded) return Fail(result, "Could not reset the password: " + reset.ErrorText);
            var unlocked = await admin.SetLockedAsync(user.Id, locked: false, ct);
            if (!unlocked.Succeeded) return Fail(result, "Password reset, but could not unlock: " + unlocked.ErrorText);
            result.InvocationConfiguration.Output.WriteLine($"Password of {user.Email} reset; the account is unlocked.");
            return 0;
        });
        return command;
    }

    private static async Task<Organization?> ResolveOrganizationAsync(ParseResult result, IServiceProvider services, string slug, string? nameForNew, CancellationToken ct)
    {
        var organizations = services.GetRequiredService<OrganizationService>();
        var org = await organizations.FindBySlugAsync(slug, ct);
        if (org is not null) return org;
        if (string.IsNullOrWhiteSpace(nameForNew))
        {
            await UnknownOrganizationAsync(result, services, slug, ct);
            return null;
        }
        if (OrganizationService.ValidateSlug(slug) is { } error)
        {
            Fail(result, error);
            return null;
        }
        org = await organizations.CreateAsync(nameForNew, slug, ct);
        result.InvocationConfiguration.Output.WriteLine($"Created organization '{org.Slug}' ({org.Name}).");
        return org;
    }

    private static async Task<int> UnknownOrganizationAsync(ParseResult result, IServiceProvider services, string slug, CancellationToken ct)
    {
        var existing = (await services.GetRequiredService<OrganizationService>().ListAsync(ct)).Select(o => o.Slug).ToList();
        return Fail(result, $"There is no organization '{slug}'. " +
                    (existing.Count == 0 ? "The database has none yet" : $"Existing: {string.Join(", ", existing)}") +
                    ". Pass --organization-name \"Your Company\" to create it.");
    }

    private static int Fail(ParseResult result, string message)
    {
        result.InvocationConfiguration.Error.WriteLine(message);
        return 1;
    }

    /// <summary>One line from stdin; from a terminal, prompts on stderr without echoing.</summary>
    private static string ReadPassword()
    {
        if (Console.IsInputRedirected) return Console.In.ReadLine() ?? "";
        Console.Error.Write("Password: ");
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (password.Length > 0) password.Length--; }
            else if (!char.IsControl(key.KeyChar)) password.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return password.ToString();
    }
}
