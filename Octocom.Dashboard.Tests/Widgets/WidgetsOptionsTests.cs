using System.Text.Json;
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
        using var sample = JsonDocument.Parse(File.ReadAllText(samplePath),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var section = sample.RootElement.GetProperty(WidgetsOptions.SectionName);
        var defaults = new WidgetsOptions();

        foreach (var property in typeof(WidgetsOptions).GetProperties())
            Assert.Equal(property.GetValue(defaults), section.GetProperty(property.Name).GetInt32());
        Assert.Equal(typeof(WidgetsOptions).GetProperties().Length, section.EnumerateObject().Count());
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
