using Octocom.Dashboard;
using Octocom.Dashboard.Cli;

var cli = CliHost.IsCliInvocation(args);
var builder = WebApplication.CreateBuilder(cli ? CliHost.HostArguments(args) : args);
builder.AddDashboard(cli);

var app = builder.Build();
if (cli) return await CliHost.RunAsync(app.Services, args);

app.UseDashboard();
await app.RunAsync();
return 0;

/// <summary>Entry point type, public for WebApplicationFactory in the tests.</summary>
public partial class Program;
