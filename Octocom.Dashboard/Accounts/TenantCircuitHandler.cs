using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Accounts;

/// <summary>
/// Copies the circuit's user into the circuit's <see cref="TenantContext"/> before any component renders
/// (the framework sets the authentication state before circuit handlers run), and keeps it current.
/// </summary>
public sealed class TenantCircuitHandler(AuthenticationStateProvider authentication, TenantContext tenant) : CircuitHandler, IDisposable
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        authentication.AuthenticationStateChanged += OnAuthenticationChanged;
        tenant.SetUser((await authentication.GetAuthenticationStateAsync()).User);
    }

    private async void OnAuthenticationChanged(Task<AuthenticationState> state)
    {
        try { tenant.SetUser((await state).User); }
        catch { tenant.SetUser(new()); }
    }

    public void Dispose() => authentication.AuthenticationStateChanged -= OnAuthenticationChanged;
}
