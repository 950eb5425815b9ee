using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Conversations.Inbox;
using Octocom.Dashboard.Conversations.Presence;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Conversations.Pages;

public partial class ConversationPage
{
    [Parameter] public string Reference { get; set; } = "";
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;
    [Inject] private ConversationReader Reader { get; set; } = default!;
    [Inject] private ConversationLifecycle Lifecycle { get; set; } = default!;
    [Inject] private IConversationNotifier Notifier { get; set; } = default!;
    [Inject] private ReadStateService ReadState { get; set; } = default!;
    [Inject] private PresenceTracker Presence { get; set; } = default!;
    [Inject] private TenantContext Tenant { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    private Conversation? _conversation;
    private bool _loading = true;
    private bool _canWork;
    private string _agentName = "Agent";
    private IDisposable? _subscription;
    private PresenceHandle? _presence;

    protected override async Task OnParametersSetAsync()
    {
        var user = (await AuthenticationState).User;
        _canWork = (await Authorization.AuthorizeAsync(user, Policies.WorkConversations)).Succeeded;
        _agentName = user.DisplayName();
        _loading = true;
        await ReloadAsync();
        _loading = false;

        _subscription?.Dispose();
        _presence?.Dispose();
        _presence = null;
        if (_conversation is null) return;
        await ReadState.MarkReadAsync(_conversation.Id);
        if (Tenant is { OrganizationId: { } org, UserId: { } userId })
            _presence = Presence.Join(org, _conversation.Id, userId, _agentName);
        _subscription = Notifier.Subscribe(_conversation.Id, change => change.Kind is ConversationChangeKind.ScriptRun or ConversationChangeKind.Read
            ? Task.CompletedTask // a recorded run or a read mark changes nothing shown here; panels that list runs subscribe themselves
            : InvokeAsync(async () =>
            {
                await ReloadAsync();
                // The agent is looking at it: a customer message arriving now is read.
                if (change.Kind == ConversationChangeKind.Message && _conversation is not null) await ReadState.MarkReadAsync(_conversation.Id);
                StateHasChanged();
            }));
    }

    private async Task ReloadAsync() => _conversation = await Reader.GetDetailsAsync(Reference);

    private async Task ReplySentAsync()
    {
        _presence?.StopTyping();
        var wasClosed = _conversation?.Status == ConversationStatus.Closed;
        await ReloadAsync();
        if (!wasClosed || _conversation is null) return;
        // Replying to a closed conversation: the customer may answer, so ask whether it should be open again.
        var reopen = await Dialogs.ShowMessageBoxAsync("Reopen this conversation?",
            "It is closed. Reopen it so it shows in the inbox again while you wait for the customer's answer?",
            yesText: "Reopen", cancelText: "Keep closed");
        if (reopen == true) await ChangeStatusAsync(ConversationStatus.Open);
    }

    private async Task ChangeStatusAsync(ConversationStatus target)
    {
        if (_conversation is null) return;
        var result = target switch
        {
            ConversationStatus.Closed => await Lifecycle.CloseAsync(_conversation.Id, $"agent:{_agentName}"),
            ConversationStatus.HandedOff => await Lifecycle.HandOffAsync(_conversation.Id, $"agent:{_agentName}"),
            _ => await Lifecycle.ReopenAsync(_conversation.Id, $"agent:{_agentName}"),
        };
        if (result.HandlerJobsQueued > 0)
            Snackbar.Add($"{result.HandlerJobsQueued} event handler(s) queued", MudBlazor.Severity.Info);
        await ReloadAsync();
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _presence?.Dispose();
    }
}
