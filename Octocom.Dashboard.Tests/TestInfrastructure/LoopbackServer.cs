using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Octocom.Dashboard.Tests.TestInfrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 on a port the system picks: the fake HTTP services scripts call in tests
/// (<c>WebhookReceiver</c>, <c>FakeCustomerApi</c>), and the address of a whole dashboard started on a loopback port
/// (<see cref="DashboardServer"/>, the chat benchmark). Compiled into the benchmarks too (a linked file).
/// </summary>
public static class LoopbackServer
{
    /// <summary>A minimal app that will listen on 127.0.0.1 only, without logging; map its routes, then <see cref="StartAsync"/>.</summary>
    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        return builder;
    }

    /// <summary>Starts <paramref name="app"/> and returns its address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public static async Task<string> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        return BaseUrl(app.Services);
    }

    /// <summary>
    /// The first address a started server listens on, as <c>http://127.0.0.1:PORT</c> with no trailing slash (Kestrel may
    /// report <c>localhost</c> or <c>[::1]</c>; scripts and the egress policy name 127.0.0.1).
    /// </summary>
    public static string BaseUrl(IServiceProvider services)
    {
        var address = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server is not listening (start it first).");
        return address.Replace("localhost", "127.0.0.1").Replace("[::1]", "127.0.0.1").TrimEnd('/');
    }
}
