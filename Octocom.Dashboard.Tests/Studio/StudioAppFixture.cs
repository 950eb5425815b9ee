using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Scripting.Engine;
using Octocom.Dashboard.Scripting.Functions;
using Octocom.Dashboard.Tests.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Studio;

/// <summary>
/// One real app (fresh SQLite, real python3 engine with two warm workers) shared by the studio, function and action
/// test classes. Each test makes its own organization (<see cref="NewTenantAsync"/>), so tests never see each other's data.
/// </summary>
public sealed class StudioAppFixture : IAsyncLifetime
{
    public TestApp App { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        App = await TestApp.CreateAsync(settings: new Dictionary<string, string?> { ["Scripting:PoolSize"] = "2" });
        Assert.True(App.Services.GetRequiredService<IScriptEngine>().Status.Available, App.Services.GetRequiredService<IScriptEngine>().Status.Description);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    public Task<TestData.Tenant> NewTenantAsync()
    {
        var slug = "t" + Guid.NewGuid().ToString("N")[..10];
        return App.CreateTenantAsync(slug, slug + "-shop");
    }

    public AsyncServiceScope ScopeFor(TestData.Tenant tenant, string actor = "admin@acme.test") => App.ScopeFor(tenant.OrganizationId, actor);

    public static ScriptLimits ShortLimits(double timeoutSeconds = 5) => PythonEngineFixture.Limits(timeoutSeconds);
}

[CollectionDefinition(Name)]
public sealed class StudioAppCollection : ICollectionFixture<StudioAppFixture>
{
    public const string Name = "Studio app";
}

public static class FunctionDrafts
{
    public const string WidgetCode = "def get_sidebar_data(context):\n    return {'title': 'CRM', 'items': []}\n";

    public static FunctionDraft Widget(string name = "CRM", string code = WidgetCode) =>
        new() { Kind = Octocom.Dashboard.Scripting.FunctionKind.SidebarWidget, Name = name, Code = code };

    public static IValidator<FunctionDraft> Validator(this AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<IValidator<FunctionDraft>>();
}
