using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Accounts.Components;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Accounts.Components;

/// <summary>The add-user form over the real <see cref="UserAdminService"/> (Identity on SQLite).</summary>
public sealed class NewUserFormTests : TenantBunitTestContext
{
    protected override string Actor => "admin@acme.test";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Services.AddSingleton(Scope.Get<UserAdminService>());
    }

    private static void Fill(IRenderedComponent<NewUserForm> form, string email, string password)
    {
        form.Find("input[data-testid=new-user-email]").Change(email);
        form.Find("input[data-testid=new-user-password]").Change(password);
    }

    [Fact]
    public async Task Add_WeakPassword_ShowsIdentitysRulesAndCreatesNobody()
    {
        var form = Render<NewUserForm>();
        Fill(form, "agent@acme.test", "weak");

        await form.Find("[data-testid=new-user-submit]").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Contains("at least 10 characters", form.Find("[data-testid=new-user-error]").TextContent));
        Assert.Empty(await Scope.Get<UserAdminService>().ListAsync());
    }

    [Fact]
    public async Task Add_Valid_CreatesAnAgentByDefaultAndClearsTheForm()
    {
        string? created = null;
        var form = Render<NewUserForm>(p => p.Add(f => f.OnCreated, email => created = email));
        Fill(form, "agent@acme.test", "Agent-initial-Passw0rd!");
        Assert.Equal("agent@acme.test", form.Find("input[data-testid=new-user-email]").GetAttribute("value")); // control

        await form.Find("[data-testid=new-user-submit]").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Equal("agent@acme.test", created));
        var user = Assert.Single(await Scope.Get<UserAdminService>().ListAsync());
        Assert.Equal(("agent@acme.test", Roles.Agent), (user.Email, user.Role));
        Assert.Equal("", form.Find("input[data-testid=new-user-email]").GetAttribute("value") ?? "");
        Assert.Equal("", form.Find("input[data-testid=new-user-password]").GetAttribute("value") ?? "");
        await using var check = App.Services.CreateAsyncScope();
        var users = check.Get<UserManager<ApplicationUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByEmailAsync("agent@acme.test"))!, "Agent-initial-Passw0rd!"));
    }
}
