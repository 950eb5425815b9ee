using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Events;

/// <summary>
/// A dashboard (services only) with a running dispatcher and a fake webhook receiver, shared by a test class.
/// Tests create their own organization (<see cref="EventsTestKit.NewTenantAsync"/>) so one test's handlers never run
/// for another's conversations.
/// </summary>
public abstract class RunningDispatcherFixture(Dictionary<string, string?> settings) : IAsyncLifetime
{
    public TestApp App { get; private set; } = default!;
    public WebhookReceiver Receiver { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        App = await TestApp.CreateAsync(settings: settings);
        await App.StartDispatcherAsync();
    }

    public async Task DisposeAsync()
    {
        await App.StopDispatcherAsync();
        await App.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
