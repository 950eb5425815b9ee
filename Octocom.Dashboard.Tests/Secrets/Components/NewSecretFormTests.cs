using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Secrets;
using Octocom.Dashboard.Secrets.Components;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Secrets.Components;

/// <summary>The add-secret form over the real <see cref="ScriptSecretService"/> (SQLite, Data Protection).</summary>
public sealed class NewSecretFormTests : TenantBunitTestContext
{
    protected override string Actor => "admin@acme.test";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Services.AddSingleton(Scope.Get<ScriptSecretService>());
    }

    private static void Fill(IRenderedComponent<NewSecretForm> form, string name, string value)
    {
        form.Find("input[data-testid=new-secret-name]").Input(name);
        form.Find("input[data-testid=secret-value]").Input(value);
    }

    [Fact]
    public async Task Add_InvalidName_ShowsTheServiceRuleAndStoresNothing()
    {
        var form = Render<NewSecretForm>();
        Fill(form, "crm api key", "value");

        await form.Find("[data-testid=new-secret-submit]").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Contains(ScriptSecretService.ValidateName("crm api key")!, form.Markup));
        Assert.Empty(await Scope.Get<ScriptSecretService>().ListAsync());
    }

    [Fact]
    public async Task Add_Valid_StoresItClearsTheInputsAndReportsTheName()
    {
        string? added = null;
        var form = Render<NewSecretForm>(p => p.Add(f => f.OnAdded, name => added = name));
        Fill(form, "CRM_API_KEY", "write-only-value-123");
        Assert.Equal("write-only-value-123", form.Find("input[data-testid=secret-value]").GetAttribute("value")); // control

        await form.Find("[data-testid=new-secret-submit]").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Equal("CRM_API_KEY", added));
        Assert.Equal("", form.Find("input[data-testid=new-secret-name]").GetAttribute("value") ?? "");
        Assert.Equal("", form.Find("input[data-testid=secret-value]").GetAttribute("value") ?? "");
        Assert.DoesNotContain("write-only-value-123", form.Markup);
        Assert.Equal("write-only-value-123", (await Scope.Get<ScriptSecretService>().GetDecryptedAsync())["CRM_API_KEY"]);
    }

    [Fact]
    public async Task Add_ExistingName_ExplainsAndKeepsTheOldValue()
    {
        await Scope.Get<ScriptSecretService>().SetAsync("CRM_API_KEY", "original");
        var form = Render<NewSecretForm>();
        Fill(form, "CRM_API_KEY", "second");

        await form.Find("[data-testid=new-secret-submit]").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Contains("already exists", form.Find("[data-testid=new-secret-error]").TextContent));
        Assert.Equal("original", (await Scope.Get<ScriptSecretService>().GetDecryptedAsync())["CRM_API_KEY"]);
    }

    [Fact]
    public void ValueInput_IsAPasswordFieldTheBrowserMustNotFill()
    {
        var input = Render<NewSecretForm>().Find("input[data-testid=secret-value]");
        Assert.Equal("password", input.GetAttribute("type"));
        Assert.Equal("new-password", input.GetAttribute("autocomplete"));
    }
}
