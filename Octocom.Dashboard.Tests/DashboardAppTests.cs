using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests;

/// <summary>The composition in <see cref="DashboardApp"/>: every feature's <c>AddX()</c> together.</summary>
public sealed class DashboardAppTests
{
    /// <summary>
    /// Every registered service can be constructed from what the features register, and no singleton captures a
    /// scoped service — so a feature that forgets to register something it depends on fails here, not at first use.
    /// </summary>
    [Fact]
    public void AddDashboard_EveryRegisteredServiceResolves()
    {
        using var dir = new TempDirectory();
        var builder = Builder(dir);
        builder.Host.UseDefaultServiceProvider(o =>
        {
            o.ValidateOnBuild = true;
            o.ValidateScopes = true;
        });
        builder.AddDashboard(cli: true);

        using var app = builder.Build(); // throws, naming the service, when a dependency is missing
        Assert.NotNull(app.Services.GetService<IValidator<Octocom.Dashboard.Metadata.MetadataChange>>());
    }

    /// <summary>Each validator the features inject is registered once, by its feature (no assembly scan registers extras).</summary>
    [Fact]
    public void AddDashboard_RegistersEachInjectedValidatorOnce()
    {
        using var dir = new TempDirectory();
        var builder = Builder(dir);
        builder.AddDashboard(cli: true);

        var validators = builder.Services.Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IValidator<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0].Name)
            .Order()
            .ToList();
        Assert.Equal(["AnalyticsQuery", "BusinessForm", "ChatCustomerFields", "FunctionDraft", "MetadataChange", "WidgetResult"], validators);
    }

    /// <summary>
    /// A component name means one component. Two features keeping their own copy of one (there were two RunStatusChips,
    /// with different colours for the same status) drift apart, and which one a page gets depends on its usings.
    /// </summary>
    [Fact]
    public void Components_EachNameIsDefinedOnce()
    {
        var components = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(Microsoft.AspNetCore.Components.IComponent).IsAssignableFrom(t) && !t.IsAbstract && !t.IsNested)
            .ToList();
        Assert.Contains(components, t => t.Name == "RunStatusChip"); // the scan sees the app's components
        var twins = components
            .GroupBy(t => t.Name)
            .Where(g => g.Count() > 1)
            .Select(g => string.Join(", ", g.Select(t => t.FullName)))
            .ToList();
        Assert.Empty(twins);
    }

    private static WebApplicationBuilder Builder(TempDirectory dir)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            EnvironmentName = "Testing",
            ContentRootPath = dir.Path,
        });
        builder.Configuration.AddInMemoryCollection(TestSettings.For(dir, demoData: false, demoConversations: 0));
        return builder;
    }
}
