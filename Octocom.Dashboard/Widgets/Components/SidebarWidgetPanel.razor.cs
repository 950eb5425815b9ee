using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Scripting.Engine;

namespace Octocom.Dashboard.Widgets.Components;

/// <summary>
/// Runs the organization's active sidebar widgets when a conversation is shown, all at once and off the circuit's
/// thread, and re-renders as each run finishes, so a slow or failing widget never holds up the others or the page.
/// Widgets run for people who work conversations (agents, admins); read-only roles see no widgets. Leaving the
/// conversation cancels runs still in flight.
/// </summary>
public partial class SidebarWidgetPanel : IDisposable
{
    [Parameter, EditorRequired] public Guid ConversationId { get; set; }

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }
    [Inject] private SidebarWidgetRunner Runner { get; set; } = default!;
    [Inject] private IScriptEngine Engine { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [Inject] private ILogger<SidebarWidgetPanel> Logger { get; set; } = default!;

    private Guid? _shownFor;
    private CancellationTokenSource? _runs;
    private List<WidgetSlot>? _slots;
    private EngineStatus? _unavailable;
    private bool _isAdmin;

    protected override async Task OnParametersSetAsync()
    {
        if (_shownFor == ConversationId) return;
        _shownFor = ConversationId;
        CancelRuns();
        _slots = null;
        _unavailable = null;
        var runs = _runs = new CancellationTokenSource();

        if (!await IsAllowedAsync(Policies.WorkConversations)) return;
        _isAdmin = await IsAllowedAsync(Policies.Administer);
        var widgets = await Runner.GetActiveAsync(runs.Token);
        if (runs.IsCancellationRequested) return;
        _slots = widgets.Select(w => new WidgetSlot(w)).ToList();
        if (widgets.Count == 0) return;

        var status = Engine.Status;
        if (!status.Available)
        {
            _unavailable = status;
            return;
        }
        // Prerendering only shows the loading cards; the interactive render that follows runs the widgets.
        if (!RendererInfo.IsInteractive) return;
        foreach (var slot in _slots) _ = RunAsync(slot, refresh: false, runs.Token);
    }

    private Task RefreshAsync(WidgetSlot slot) =>
        slot.Running || _runs is null ? Task.CompletedTask : RunAsync(slot, refresh: true, _runs.Token);

    private async Task RunAsync(WidgetSlot slot, bool refresh, CancellationToken ct)
    {
        slot.Running = true;
        var conversationId = ConversationId;
        WidgetRunOutcome outcome;
        try
        {
            // Off the circuit's thread: building contexts and checking results for several widgets must not take turns.
            outcome = await Task.Run(() => Runner.RunAsync(slot.Widget, conversationId, refresh, ct), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return; // the conversation was left (or changed); this panel no longer shows the card
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Sidebar widget {Widget} failed on conversation {Conversation}", slot.Widget.Name, conversationId);
            outcome = WidgetRunOutcome.DashboardFailure();
        }
        if (ct.IsCancellationRequested) return;
        slot.Outcome = outcome;
        slot.Running = false;
        await InvokeAsync(StateHasChanged);
    }

    private async Task<bool> IsAllowedAsync(string policy)
    {
        if (AuthenticationState is null) return false;
        var user = (await AuthenticationState).User;
        return (await Authorization.AuthorizeAsync(user, policy)).Succeeded;
    }

    // Cancelled, not disposed: runs still unwinding read its token.
    private void CancelRuns()
    {
        _runs?.Cancel();
        _runs = null;
    }

    public void Dispose() => CancelRuns();

    private sealed class WidgetSlot(SidebarWidget widget)
    {
        public SidebarWidget Widget { get; } = widget;
        public WidgetRunOutcome? Outcome { get; set; }
        public bool Running { get; set; }
    }
}
