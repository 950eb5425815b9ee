using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Octocom.Dashboard.Accounts;

namespace Octocom.Dashboard.Conversations.Pages;

public partial class ConversationPage
{
    [Parameter] public string Reference { get; set; } = "";
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;
    [Inject] private ConversationReader Reader { get; set; } = default!;
    [Inject] private ConversationLifecycle Lifecycle { get; set; } = default!;
    [Inject] private ConversationNotifier Notifier { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private Conversation? _conversation;
    private bool _loading = true;
    private bool _canWork;
    private string _agentName = "Agent";
    private IDisposable? _subscription;

    protected override async Task OnParametersSetAsync()
    {
        var user = (await AuthenticationState).User;
        _canWork = (await Authorization.AuthorizeAsync(user, Policies.WorkConversations)).Succeeded;
        _agentName = user.DisplayName();
        _loading = true;
        await ReloadAsync();
        _loading = false;

        _subscription?.Dispose();
        if (_conversation is not null)
            _subscription = Notifier.Subscribe(_conversation.Id, change => change.Kind == ConversationChangeKind.ScriptRun
                ? Task.CompletedTask // a recorded run changes nothing shown here; panels that list runs subscribe themselves
                : InvokeAsync(async () =>
                {
                    await ReloadAsync();
                    StateHasChanged();
                }));
    }

    private async Task ReloadAsync() => _conversation = await Reader.GetDetailsAsync(Reference);

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

    public void Dispose() => _subscription?.Dispose();
}
