using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Audit;
using Octocom.Dashboard.Tenancy;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Accounts;

public sealed class UserAdminServiceTests : IAsyncLifetime
{
    private const string Password = "Initial-Passw0rd!";
    private TestApp _app = default!;
    private TestData.Tenant _acme = default!;
    private TestData.Tenant _other = default!;
    private string _adminId = "";
    private string _otherOrgUserId = "";

    public async Task InitializeAsync()
    {
        _app = await TestApp.CreateAsync(); // no demo data: the roles do not exist yet, as in a fresh production database
        _acme = await _app.CreateTenantAsync();
        _other = await _app.CreateTenantAsync("other", "other-shop");
        _adminId = (await CreateAsync(_acme, "boss@acme.test", Roles.Admin)).UserId!;
        _otherOrgUserId = (await CreateAsync(_other, "someone@other.test", Roles.Agent)).UserId!;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<UserResult> CreateAsync(TestData.Tenant tenant, string email, string role, string password = Password)
    {
        await using var scope = _app.ScopeFor(tenant.OrganizationId);
        return await scope.Get<UserAdminService>().CreateAsync(new NewUser(email, "", role, password));
    }

    /// <summary>A scope acting as the acme admin (a signed-in user with an id, so "not yourself" rules apply).</summary>
    private AsyncServiceScope AsAdmin()
    {
        var scope = _app.Services.CreateAsyncScope();
        scope.Get<TenantContext>().SetUser(new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, _adminId), new Claim(ClaimTypes.Name, "boss@acme.test"),
            new Claim(TenantContext.OrganizationClaim, _acme.OrganizationId.ToString()),
        ], "test")));
        return scope;
    }

    private async Task<T> AsAdminAsync<T>(Func<UserAdminService, Task<T>> action)
    {
        await using var scope = AsAdmin();
        return await action(scope.Get<UserAdminService>());
    }

    private async Task<ApplicationUser?> FindAsync(string email)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.Get<UserManager<ApplicationUser>>().FindByEmailAsync(email);
    }

    private async Task<bool> PasswordWorksAsync(string email, string password)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.Get<UserManager<ApplicationUser>>();
        return await users.CheckPasswordAsync((await users.FindByEmailAsync(email))!, password);
    }

    private Task<List<AuditEntry>> AuditAsync(TestData.Tenant tenant) =>
        _app.QueryAsync(tenant.OrganizationId, db => db.AuditEntries.OrderBy(e => e.Id).ToListAsync());

    [Fact]
    public async Task Create_InFreshDatabase_CreatesRolesAndAUserWhoCanSignIn()
    {
        var user = await FindAsync("boss@acme.test");
        Assert.NotNull(user);
        Assert.Equal(_acme.OrganizationId, user.OrganizationId);
        Assert.True(await PasswordWorksAsync("boss@acme.test", Password));
        await using var scope = _app.Services.CreateAsyncScope();
        Assert.Equal([Roles.Admin], await scope.Get<UserManager<ApplicationUser>>().GetRolesAsync(user));
    }

    [Fact]
    public async Task List_ShowsOnlyTheOrganizationsOwnUsers()
    {
        await CreateAsync(_acme, "agent@acme.test", Roles.Agent);

        var rows = await AsAdminAsync(admin => admin.ListAsync());

        Assert.Equal(["agent@acme.test", "boss@acme.test"], rows.Select(r => r.Email));
        Assert.Equal(Roles.Agent, rows[0].Role);
        Assert.True(rows.Single(r => r.Email == "boss@acme.test").IsCurrentUser);
        Assert.DoesNotContain(rows, r => r.Email == "someone@other.test");
    }

    [Theory]
    [InlineData("not-an-email", Roles.Agent, Password, "not a valid email")]
    [InlineData("new@acme.test", "Superuser", Password, "Unknown role")]
    [InlineData("new@acme.test", Roles.Agent, "short", "at least 10 characters")]
    [InlineData("boss@acme.test", Roles.Agent, Password, "already taken")]
    public async Task Create_BadInput_ExplainsAndCreatesNothing(string email, string role, string password, string expected)
    {
        var before = (await AsAdminAsync(admin => admin.ListAsync())).Count;

        var result = await CreateAsync(_acme, email, role, password);

        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.ErrorText, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, (await AsAdminAsync(admin => admin.ListAsync())).Count);
    }

    [Fact]
    public async Task ChangeRole_OwnOrganizationsUser_ReplacesTheRoleAndAudits()
    {
        var id = (await CreateAsync(_acme, "agent@acme.test", Roles.Agent)).UserId!;

        var result = await AsAdminAsync(admin => admin.ChangeRoleAsync(id, Roles.Manager));

        Assert.True(result.Succeeded, result.ErrorText);
        Assert.Equal(Roles.Manager, (await AsAdminAsync(admin => admin.ListAsync())).Single(r => r.Id == id).Role);
        var entry = (await AuditAsync(_acme)).Last();
        Assert.Equal((AuditActions.RoleChanged, AuditEntityTypes.User, id, "boss@acme.test"), (entry.Action, entry.EntityType, entry.EntityId, entry.UserName));
        Assert.Contains("from Agent to Manager", entry.Summary);
    }

    public static TheoryData<string> Operations() => new() { "role", "lock", "unlock", "reset", "delete" };

    private static Task<UserResult> RunAsync(UserAdminService admin, string operation, string userId) => operation switch
    {
        "role" => admin.ChangeRoleAsync(userId, Roles.Admin),
        "lock" => admin.SetLockedAsync(userId, locked: true),
        "unlock" => admin.SetLockedAsync(userId, locked: false),
        "reset" => admin.ResetPasswordAsync(userId, "Hijacked-Passw0rd!"),
        _ => admin.DeleteAsync(userId),
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task AnyOperation_OnAnotherOrganizationsUser_IsNotFoundAndChangesNothing(string operation)
    {
        var result = await AsAdminAsync(admin => RunAsync(admin, operation, _otherOrgUserId));

        Assert.True(result.NotFound);
        var user = await FindAsync("someone@other.test");
        Assert.NotNull(user);
        Assert.Null(user.LockoutEnd);
        Assert.True(await PasswordWorksAsync("someone@other.test", Password));
        await using var scope = _app.Services.CreateAsyncScope();
        Assert.Equal([Roles.Agent], await scope.Get<UserManager<ApplicationUser>>().GetRolesAsync(user));
        Assert.DoesNotContain(await AuditAsync(_acme), e => e.EntityId == _otherOrgUserId);
    }

    [Theory]
    [InlineData("role", "own role")]
    [InlineData("lock", "lock your own")]
    [InlineData("reset", "Change password page")]
    [InlineData("delete", "delete your own")]
    public async Task Operation_OnYourself_IsRefused(string operation, string expected)
    {
        var result = await AsAdminAsync(admin => RunAsync(admin, operation, _adminId));

        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.ErrorText);
        Assert.NotNull(await FindAsync("boss@acme.test"));
    }

    [Fact]
    public async Task Lock_ThenUnlock_BlocksAndRestoresSignInAndAuditsBoth()
    {
        var id = (await CreateAsync(_acme, "agent@acme.test", Roles.Agent)).UserId!;

        Assert.True((await AsAdminAsync(admin => admin.SetLockedAsync(id, locked: true))).Succeeded);
        Assert.True((await AsAdminAsync(admin => admin.ListAsync())).Single(r => r.Id == id).IsLockedOut);
        await using (var scope = _app.Services.CreateAsyncScope())
            Assert.True(await scope.Get<UserManager<ApplicationUser>>().IsLockedOutAsync((await FindAsync("agent@acme.test"))!));

        Assert.True((await AsAdminAsync(admin => admin.SetLockedAsync(id, locked: false))).Succeeded);
        Assert.False((await AsAdminAsync(admin => admin.ListAsync())).Single(r => r.Id == id).IsLockedOut);
        Assert.Equal([AuditActions.Locked, AuditActions.Unlocked],
            (await AuditAsync(_acme)).Where(e => e.EntityId == id && e.Action != AuditActions.Created).Select(e => e.Action));
    }

    [Fact]
    public async Task ResetPassword_ReplacesThePassword()
    {
        var id = (await CreateAsync(_acme, "agent@acme.test", Roles.Agent)).UserId!;

        var result = await AsAdminAsync(admin => admin.ResetPasswordAsync(id, "Reset-Passw0rd!!"));

        Assert.True(result.Succeeded, result.ErrorText);
        Assert.False(await PasswordWorksAsync("agent@acme.test", Password));
        Assert.True(await PasswordWorksAsync("agent@acme.test", "Reset-Passw0rd!!"));
    }

    [Fact]
    public async Task ResetPassword_WeakPassword_KeepsTheOldOne()
    {
        var id = (await CreateAsync(_acme, "agent@acme.test", Roles.Agent)).UserId!;

        var result = await AsAdminAsync(admin => admin.ResetPasswordAsync(id, "weak"));

        Assert.False(result.Succeeded);
        Assert.True(await PasswordWorksAsync("agent@acme.test", Password));
    }

    [Fact]
    public async Task Delete_RemovesTheUserAndAudits()
    {
        var id = (await CreateAsync(_acme, "agent@acme.test", Roles.Agent)).UserId!;

        Assert.True((await AsAdminAsync(admin => admin.DeleteAsync(id))).Succeeded);

        Assert.Null(await FindAsync("agent@acme.test"));
        var entry = (await AuditAsync(_acme)).Last();
        Assert.Equal((AuditActions.Deleted, "Deleted user agent@acme.test"), (entry.Action, entry.Summary));
    }

    [Fact]
    public async Task Create_IsAuditedWithoutThePassword()
    {
        var entry = (await AuditAsync(_acme)).Single(e => e.Action == AuditActions.Created);
        Assert.Equal((AuditEntityTypes.User, _adminId), (entry.EntityType, entry.EntityId));
        Assert.DoesNotContain(Password, entry.Summary);
        Assert.DoesNotContain(await AuditAsync(_other), e => e.EntityId == _adminId);
    }
}
