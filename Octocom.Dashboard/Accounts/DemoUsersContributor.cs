using Microsoft.AspNetCore.Identity;
using Octocom.Dashboard.Data.Seeding;

namespace Octocom.Dashboard.Accounts;

/// <summary>One demo user per role in each demo organization; credentials are printed once, on creation.</summary>
public sealed class DemoUsersContributor(
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    ILogger<DemoUsersContributor> logger) : IDemoDataContributor
{
    public int Order => 0;

    public async Task ContributeAsync(DemoSeedContext context, CancellationToken ct)
    {
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));
        if (!context.Options.CreateUsers) return;

        var lines = new List<string>();
        foreach (var org in context.Organizations)
        {
            foreach (var role in Roles.All)
            {
                var email = $"{role.ToLowerInvariant()}@{org.EmailDomain}";
                if (await users.FindByEmailAsync(email) is not null) continue;
                var user = new ApplicationUser
                {
                    UserName = email,
                    Email = email,
                    EmailConfirmed = true,
                    OrganizationId = org.Organization.Id,
                    DisplayName = $"{org.Organization.Name} {role}",
                };
                var result = await users.CreateAsync(user, context.Options.UserPassword);
                if (!result.Succeeded)
                    throw new InvalidOperationException("Could not create demo user: " + string.Join("; ", result.Errors.Select(e => e.Description)));
                await users.AddToRoleAsync(user, role);
                lines.Add($"  {role,-8} {email,-34} {context.Options.UserPassword}   ({org.Organization.Name})");
            }
        }
        if (lines.Count == 0) return;
        logger.LogInformation("Created {Count} demo users", lines.Count);
        Console.WriteLine();
        Console.WriteLine("  Demo users (shown once; change with DemoData:UserPassword before first start, or in Settings → Users):");
        foreach (var line in lines) Console.WriteLine(line);
        Console.WriteLine();
    }
}
