using System.CommandLine;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Audit;
using Octocom.Dashboard.Cli;
using Octocom.Dashboard.Tenancy;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Accounts;

/// <summary>The <c>users</c> verb on a production-like database: no demo data, no users, no roles.</summary>
public sealed class UsersCliCommandTests : IAsyncLifetime
{
    private const string Password = "First-admin-Passw0rd!";
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await TestApp.CreateAsync(settings: new Dictionary<string, string?> { ["DemoData:CreateUsers"] = "false" });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in _app.Services.GetServices<ICliCommand>()) root.Subcommands.Add(command.Build(_app.Services));
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private async Task<ApplicationUser?> FindAsync(string email)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.Get<UserManager<ApplicationUser>>().FindByEmailAsync(email);
    }

    [Fact]
    public async Task Create_NewOrganizationWithName_CreatesTheOrganizationAndTheFirstAdmin()
    {
        var (exit, output, error) = await RunAsync("users", "create", "--email", "ops@acme.test", "--role", "admin",
            "--organization", "acme", "--organization-name", "Acme Inc", "--password", Password);

        Assert.True(exit == 0, error);
        Assert.Contains("Created organization 'acme' (Acme Inc)", output);
        Assert.Contains("Created Admin ops@acme.test", output);
        var user = await FindAsync("ops@acme.test");
        Assert.NotNull(user);
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.Get<UserManager<ApplicationUser>>();
        Assert.True(await users.CheckPasswordAsync(user, Password));
        Assert.True(await users.IsInRoleAsync(user, Roles.Admin));
        var org = await scope.Get<OrganizationService>().FindBySlugAsync("acme");
        Assert.Equal(org!.Id, user.OrganizationId);
    }

    [Fact]
    public async Task Create_IsAuditedAsTheCli()
    {
        await RunAsync("users", "create", "--email", "ops@acme.test", "--role", "Admin", "--organization", "acme",
            "--organization-name", "Acme", "--password", Password);

        var org = await _app.Services.GetRequiredService<OrganizationService>().FindBySlugAsync("acme");
        await using var scope = _app.ScopeFor(org!.Id);
        var entry = Assert.Single((await scope.Get<AuditLog>().SearchAsync(new AuditFilter(), 0, 10)).Entries);
        Assert.Equal((UsersCliCommand.Actor, AuditActions.Created), (entry.UserName, entry.Action));
    }

    [Fact]
    public async Task Create_UnknownOrganizationWithoutName_FailsAndListsTheExistingOnes()
    {
        await _app.CreateTenantAsync("demo", "demo-shop");

        var (exit, _, error) = await RunAsync("users", "create", "--email", "ops@acme.test", "--role", "Admin",
            "--organization", "acmee", "--password", Password);

        Assert.Equal(1, exit);
        Assert.Contains("There is no organization 'acmee'", error);
        Assert.Contains("Existing: demo", error);
        Assert.Null(await FindAsync("ops@acme.test"));
        Assert.Null(await _app.Services.GetRequiredService<OrganizationService>().FindBySlugAsync("acmee"));
    }

    [Theory]
    [InlineData("Superuser", Password, "Unknown role")]
    [InlineData("Admin", "weak", "at least 10 characters")]
    public async Task Create_BadRoleOrPassword_FailsWithTheReason(string role, string password, string expected)
    {
        await _app.CreateTenantAsync("acme", "acme-shop");

        var (exit, _, error) = await RunAsync("users", "create", "--email", "ops@acme.test", "--role", role,
            "--organization", "acme", "--password", password);

        Assert.Equal(1, exit);
        Assert.Contains(expected, error);
        Assert.Null(await FindAsync("ops@acme.test"));
    }

    [Fact]
    public async Task ResetPassword_LockedOutAdmin_SetsThePasswordAndUnlocks()
    {
        await RunAsync("users", "create", "--email", "ops@acme.test", "--role", "Admin", "--organization", "acme",
            "--organization-name", "Acme", "--password", Password);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.Get<UserManager<ApplicationUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByEmailAsync("ops@acme.test"))!, DateTimeOffset.UtcNow.AddHours(1));
        }

        var (exit, output, error) = await RunAsync("users", "reset-password", "--email", "ops@acme.test", "--password", "Recovered-Passw0rd!");

        Assert.True(exit == 0, error);
        Assert.Contains("unlocked", output);
        await using var check = _app.Services.CreateAsyncScope();
        var manager = check.Get<UserManager<ApplicationUser>>();
        var user = (await manager.FindByEmailAsync("ops@acme.test"))!;
        Assert.False(await manager.IsLockedOutAsync(user));
        Assert.True(await manager.CheckPasswordAsync(user, "Recovered-Passw0rd!"));
    }

    [Fact]
    public async Task List_PrintsTheOrganizationsUsers()
    {
        await RunAsync("users", "create", "--email", "ops@acme.test", "--role", "Admin", "--organization", "acme",
            "--organization-name", "Acme", "--password", Password);

        var (exit, output, _) = await RunAsync("users", "list", "--organization", "acme");

        Assert.Equal(0, exit);
        Assert.Matches(@"ops@acme\.test\s+Admin\s+active", output);
    }
}
