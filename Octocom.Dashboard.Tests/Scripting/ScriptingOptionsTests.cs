using Octocom.Dashboard.Scripting;

namespace Octocom.Dashboard.Tests.Scripting;

public sealed class ScriptingOptionsTests
{
    [Fact]
    public void Defaults_MatchTheContract()
    {
        var options = new ScriptingOptions();

        Assert.Equal(TimeSpan.FromSeconds(10), options.Limits.SidebarWidget.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Limits.EventHandler.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Limits.CustomAction.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Limits.ConditionProvider.Timeout);
        Assert.Equal(Environment.ProcessorCount, options.EffectivePoolSize);
        Assert.True(new ScriptingOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_BadValues_NameEachSetting()
    {
        var options = new ScriptingOptions { PoolSize = -1, MaxRunsPerWorker = 0 };
        options.Limits.EventHandler.Timeout = TimeSpan.Zero;
        options.Limits.SidebarWidget.MaxOutputBytes = 10;
        options.Llm.Endpoint = "ftp://llm.example";

        var result = new ScriptingOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        foreach (var setting in new[] { "Scripting:PoolSize", "Scripting:MaxRunsPerWorker", "Scripting:Limits:EventHandler:Timeout",
                     "Scripting:Limits:SidebarWidget:MaxOutputBytes", "Scripting:Llm:Endpoint" })
            Assert.Contains(result.Failures!, f => f.Contains(setting));
    }

    [Fact]
    public void ToLimits_ConvertsMegabytes()
    {
        var limits = new ScriptingOptions().Limits.For(FunctionKind.EventHandler).ToLimits();

        Assert.Equal(512L * 1024 * 1024, limits.MemoryBytes);
        Assert.Equal(60, limits.CpuSeconds);
    }
}
