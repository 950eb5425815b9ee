using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Widgets;

namespace Octocom.Dashboard.Tests.Widgets;

public sealed class WidgetsOptionsTests
{
    [Fact]
    public void SampleSettings_MirrorEveryDefault()
    {
        var samplePath = Path.Combine(RepositoryRoot(), "appsettings.sample.json");
        var sample = new ConfigurationBuilder().AddJsonFile(samplePath).Build().GetSection(WidgetsOptions.SectionName);
        var bound = sample.Get<WidgetsOptions>()!;
        var defaults = new WidgetsOptions();

        foreach (var property in typeof(WidgetsOptions).GetProperties())
        {
            Assert.True(sample[property.Name] is not null, $"appsettings.sample.json has no Widgets:{property.Name}");
            Assert.Equal(property.GetValue(defaults), property.GetValue(bound));
        }
        Assert.Equal(typeof(WidgetsOptions).GetProperties().Length, sample.GetChildren().Count());
    }

    [Fact]
    public void AddWidgets_CacheDurationOverAnHour_FailsValidation()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Widgets:CacheDuration"] = "02:00:00" });
        builder.AddWidgets();
        using var services = builder.Services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WidgetsOptions>>().Value);
        Assert.Contains("CacheDuration", error.Message);
    }

    [Fact]
    public void AddWidgets_OutOfRangeSetting_FailsValidation()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Widgets:MaxItems"] = "0" });
        builder.AddWidgets();
        using var services = builder.Services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WidgetsOptions>>().Value);
        Assert.Contains("MaxItems", error.Message);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Octocom.Dashboard.sln"))) return dir.FullName;
        throw new InvalidOperationException("Octocom.Dashboard.sln not found above " + AppContext.BaseDirectory);
    }
}
