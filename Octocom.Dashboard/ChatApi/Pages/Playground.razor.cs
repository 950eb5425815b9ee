using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Businesses.Components;
using Octocom.Dashboard.ChatApi.Components;

namespace Octocom.Dashboard.ChatApi.Pages;

public partial class Playground
{
    [Inject] private BusinessService Businesses { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private IReadOnlyList<Business> _businesses = [];
    private IReadOnlyList<CustomDataPanel.Item> _items = [];
    private IReadOnlyList<string> _rejected = [];
    private string? _slug;
    private string? _publicId;
    private IJSObjectReference? _module;
    private DotNetObjectReference<Playground>? _self;

    protected override async Task OnInitializedAsync()
    {
        _businesses = await Businesses.ListAsync();
        _slug = _businesses.FirstOrDefault()?.Slug;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        _module = await JS.InvokeAsync<IJSObjectReference>("import", Navigation.ToAbsoluteUri("assets/chat-widget/playground.js").ToString());
        _self = DotNetObjectReference.Create(this);
        await RefreshDataAsync();
        if (_slug is not null) await MountAsync();
        StateHasChanged();
    }

    private async Task SelectBusinessAsync(string slug)
    {
        _slug = slug;
        _publicId = null;
        _rejected = [];
        await MountAsync();
    }

    private async Task MountAsync()
    {
        if (_module is null || _slug is null) return;
        await _module.InvokeVoidAsync("mount", _slug, Navigation.ToAbsoluteUri(EmbedSnippet.WidgetPath).ToString(), _self);
    }

    private async Task ResetConversationAsync()
    {
        if (_module is null) return;
        await _module.InvokeVoidAsync("resetConversation");
        _publicId = null;
        _rejected = [];
    }

    private async Task SetDataAsync(CustomDataPanel.Item item)
    {
        if (_module is null) return;
        await _module.InvokeVoidAsync("setData", item.Key, item.Value);
        await RefreshDataAsync();
    }

    private async Task RemoveDataAsync(string key)
    {
        if (_module is null) return;
        await _module.InvokeVoidAsync("removeData", key);
        await RefreshDataAsync();
    }

    private async Task RefreshDataAsync()
    {
        if (_module is null) return;
        _items = await _module.InvokeAsync<List<CustomDataPanel.Item>>("listData");
    }

    [JSInvokable]
    public Task OnWidgetReady(string? publicId) => InvokeAsync(() => { _publicId = publicId; StateHasChanged(); });

    [JSInvokable]
    public Task OnConversationStarted(string publicId) => InvokeAsync(() => { _publicId = publicId; StateHasChanged(); });

    [JSInvokable]
    public Task OnRejected(string[] rejected) => InvokeAsync(() => { _rejected = rejected; StateHasChanged(); });

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("unmount");
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException) { /* the tab was closed */ }
        }
        _self?.Dispose();
    }
}
