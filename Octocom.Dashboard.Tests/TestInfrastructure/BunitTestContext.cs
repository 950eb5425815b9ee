using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Octocom.Dashboard.Tests.TestInfrastructure;

/// <summary>
/// bUnit with MudBlazor: loose JS interop, no transitions, a MudPopoverProvider rendered, and async disposal
/// (MudBlazor's services are async-disposable only — a plain Dispose would throw at teardown).
/// </summary>
public abstract class BunitTestContext : BunitContext, IAsyncLifetime
{
    protected BunitTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.ShowTransitionDuration = 0;
            o.SnackbarConfiguration.HideTransitionDuration = 0;
            o.PopoverOptions.CheckForPopoverProvider = false;
        });
        Services.AddSingleton<Octocom.Dashboard.Shared.MarkdownRenderer>();
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Per-test cleanup, run before the bUnit context is disposed.</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await CleanupAsync();
        await base.DisposeAsync();
    }
}
