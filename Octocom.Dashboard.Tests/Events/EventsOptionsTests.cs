using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Events;

public sealed class EventsOptionsTests
{
    private static ValidateOptionsResult Validate(EventsOptions options, TimeSpan? handlerTimeout = null)
    {
        var scripting = new ScriptingOptions();
        if (handlerTimeout is { } timeout) scripting.Limits.EventHandler.Timeout = timeout;
        return new EventsOptionsValidator(Options.Create(scripting)).Validate(null, options);
    }

    [Fact]
    public void Defaults_AreValid_AndTheLeaseOutlastsTheSixtySecondHandlerTimeout()
    {
        Assert.True(Validate(new EventsOptions()).Succeeded);
        Assert.True(new EventsOptions().LeaseDuration > new ScriptingOptions().Limits.EventHandler.Timeout);
    }

    [Fact]
    public void LeaseShorterThanTheHandlerTimeout_IsRefusedWithTheReason()
    {
        var result = Validate(new EventsOptions { LeaseDuration = TimeSpan.FromSeconds(60) });
        Assert.True(result.Failed);
        Assert.Contains("Events:LeaseDuration", result.FailureMessage);
        Assert.Contains("Scripting:Limits:EventHandler:Timeout", result.FailureMessage);
    }

    [Fact]
    public void ShortHandlerTimeout_AllowsAShortLease()
    {
        Assert.True(Validate(new EventsOptions { LeaseDuration = TimeSpan.FromSeconds(6) }, TimeSpan.FromSeconds(2)).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(5), EventsOptionsValidator.MinimumLease(TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromSeconds(68), EventsOptionsValidator.MinimumLease(TimeSpan.FromSeconds(60)));
    }

    [Theory]
    [InlineData("Concurrency", -1)]
    [InlineData("MaxAttempts", 0)]
    [InlineData("RetryJitter", 2)]
    public void OutOfRangeValue_IsRefusedNamingTheSetting(string setting, double value)
    {
        var options = new EventsOptions();
        var property = typeof(EventsOptions).GetProperty(setting)!;
        property.SetValue(options, Convert.ChangeType(value, property.PropertyType));
        var result = Validate(options);
        Assert.True(result.Failed);
        Assert.Contains($"Events:{setting}", result.FailureMessage);
    }

    [Fact]
    public void RetryMaxDelayBelowTheBase_IsRefused() =>
        Assert.True(Validate(new EventsOptions { RetryBaseDelay = TimeSpan.FromMinutes(2), RetryMaxDelay = TimeSpan.FromMinutes(1) }).Failed);

    [Fact]
    public void SampleSettings_MirrorEveryDefault()
    {
        var sample = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot(), "appsettings.sample.json")).Build()
            .GetSection(EventsOptions.SectionName);
        var bound = sample.Get<EventsOptions>()!;
        var defaults = new EventsOptions();

        foreach (var property in typeof(EventsOptions).GetProperties())
            Assert.Equal(property.GetValue(defaults), property.GetValue(bound));
        Assert.Equal(typeof(EventsOptions).GetProperties().Length, sample.GetChildren().Count());
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Octocom.Dashboard.sln"))) return dir.FullName;
        throw new InvalidOperationException("Octocom.Dashboard.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task Concurrency_Zero_MeansHalfTheEnginePool()
    {
        await using var app = await TestApp.CreateAsync(settings: new Dictionary<string, string?> { ["Scripting:PoolSize"] = "6", ["Scripting:WarmOnStart"] = "false" });
        Assert.Equal(3, app.Services.GetRequiredService<EventDispatcher>().Concurrency);
    }
}
