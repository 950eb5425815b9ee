using Octocom.Dashboard.Cli;

namespace Octocom.Dashboard.Tests.Cli;

public sealed class CliHostTests
{
    [Fact]
    public void CommandArguments_HostSettingAfterAFlag_IsNotPassedToTheCommand() =>
        Assert.Equal(["script", "run", "--apply", "--file", "a.py"],
            CliHost.CommandArguments(["script", "run", "--apply", "--Database:ConnectionString=Data Source=x.db", "--file", "a.py"]));

    [Fact]
    public void HostArguments_OnlySelfContainedSettings_SoAFlagNeverSwallowsOne() =>
        Assert.Equal(["--Database:ConnectionString=Data Source=x.db"],
            CliHost.HostArguments(["script", "run", "--apply", "--Database:ConnectionString=Data Source=x.db", "--file", "a.py"]));

    [Theory]
    [InlineData("seed", true)]
    [InlineData("--urls", false)]
    public void IsCliInvocation_FirstArgumentThatIsNotAnOption_SelectsACommand(string first, bool expected) =>
        Assert.Equal(expected, CliHost.IsCliInvocation([first, "x"]));
}
