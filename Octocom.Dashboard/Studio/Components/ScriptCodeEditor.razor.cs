using BlazorMonaco.Editor;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Octocom.Dashboard.Scripting;

namespace Octocom.Dashboard.Studio.Components;

/// <summary>An error or warning to show on a line of the code (1-based; column optional).</summary>
public sealed record EditorMarker(int Line, int? Column, string Message, string Severity = "error");

public partial class ScriptCodeEditor : IAsyncDisposable
{
    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Parameter] public string Id { get; set; } = "studio-editor";
    /// <summary>The code the editor starts with (later changes go through <see cref="SetCodeAsync"/>).</summary>
    [Parameter] public string InitialCode { get; set; } = "";
    /// <summary>The function's arguments: completed under <c>context["args"]</c>.</summary>
    [Parameter] public IReadOnlyList<ArgumentDefinition> Arguments { get; set; } = [];
    [Parameter] public EventCallback OnSave { get; set; }
    [Parameter] public EventCallback OnRun { get; set; }
    /// <summary>The admin edited the code.</summary>
    [Parameter] public EventCallback OnChanged { get; set; }

    private StandaloneCodeEditor? _editor;
    private IJSObjectReference? _module;
    private DotNetObjectReference<ScriptCodeEditor>? _self;
    private bool _attached;
    private IReadOnlyList<ArgumentDefinition>? _sentArguments;
    private int _programmaticChanges;

    private StandaloneEditorConstructionOptions Options(StandaloneCodeEditor editor) => new()
    {
        Language = "python",
        Value = InitialCode,
        AutomaticLayout = true,
        Minimap = new EditorMinimapOptions { Enabled = false },
        FontSize = 13,
        TabSize = 4,
        InsertSpaces = true,
        ScrollBeyondLastLine = false,
        RenderWhitespace = "selection",
        FixedOverflowWidgets = true,
    };

    private async Task OnDidInitAsync()
    {
        _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/studio.js");
        _self = DotNetObjectReference.Create(this);
        _attached = await _module.InvokeAsync<bool>("attach", Id, _self, new
        {
            helpers = EditorCompletions.Helpers,
            contextKeys = EditorCompletions.ContextKeys,
            argumentKeys = EditorCompletions.ForArguments(Arguments),
        });
        _sentArguments = Arguments;
        StateHasChanged();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_module is null || !_attached || ReferenceEquals(_sentArguments, Arguments)) return;
        _sentArguments = Arguments;
        await _module.InvokeVoidAsync("setArgumentKeys", Id, EditorCompletions.ForArguments(Arguments));
    }

    private async Task OnContentChangedAsync(ModelContentChangedEvent _)
    {
        if (_programmaticChanges > 0)
        {
            _programmaticChanges--;
            return;
        }
        await OnChanged.InvokeAsync();
    }

    public async Task<string> GetCodeAsync() => _editor is null ? InitialCode : await _editor.GetValue() ?? "";

    /// <summary>Replaces the code (restore, reload) without reporting it as an edit.</summary>
    public async Task SetCodeAsync(string code)
    {
        if (_editor is null) return;
        _programmaticChanges++;
        await _editor.SetValue(code);
    }

    public async Task SetMarkersAsync(IEnumerable<EditorMarker> markers)
    {
        if (_module is not null) await _module.InvokeVoidAsync("setMarkers", Id, markers.ToList());
    }

    public async Task ClearMarkersAsync()
    {
        if (_module is not null) await _module.InvokeVoidAsync("clearMarkers", Id);
    }

    public async Task FocusAsync()
    {
        if (_module is not null) await _module.InvokeVoidAsync("focus", Id);
    }

    [JSInvokable]
    public Task SaveFromEditor() => InvokeAsync(() => OnSave.InvokeAsync());

    [JSInvokable]
    public Task RunFromEditor() => InvokeAsync(() => OnRun.InvokeAsync());

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("detach", Id);
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
            }
        }
        _self?.Dispose();
    }
}
