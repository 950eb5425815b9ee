using FluentValidation.Results;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Functions;
using Octocom.Dashboard.Studio.Components;
using Octocom.Dashboard.Widgets;

namespace Octocom.Dashboard.Studio.Pages;

public partial class ScriptEditorPage
{
    [Inject] private FunctionService Functions { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private WidgetResultChecker Checker { get; set; } = default!;

    [Parameter] public int? Id { get; set; }
    [Parameter] public string? KindSlug { get; set; }
    /// <summary>A conversation to test against (GUID or public ID), e.g. /scripts/3?conversation=A1B2C3.</summary>
    [SupplyParameterFromQuery(Name = "conversation")] public string? Conversation { get; set; }

    private bool _loaded;
    private bool _notFound;
    private PythonFunction? _function;
    private FunctionKind _kind;
    private string _name = "";
    private string _description = "";
    private bool _active = true;
    private string? _eventType;
    private IReadOnlyList<ArgumentDefinition> _arguments = [];
    private string _initialCode = "";
    private string? _savedCode;
    private bool _dirty;
    private bool _saving;
    private List<ValidationFailure> _errors = [];
    private List<ValidationFailure> _warnings = [];
    private SaveConflict? _conflict;

    private ScriptCodeEditor? _editor;
    private TestPanel? _testPanel;
    private RecentRuns? _recentRuns;

    private string KindName => _kind.DisplayName().ToLowerInvariant();
    private bool TakesArguments => _kind is FunctionKind.CustomAction or FunctionKind.ConditionProvider;

    protected override async Task OnParametersSetAsync()
    {
        if (_loaded && Id is { } same && _function?.Id == same) return; // our own redirect after creating it
        _loaded = false;
        _notFound = false;
        _errors = [];
        _warnings = [];
        _conflict = null;
        if (Id is { } id)
        {
            _function = await Functions.GetAsync(id);
            if (_function is null) _notFound = true;
            else Load(_function);
        }
        else if (FunctionKinds.FromSlug(KindSlug) is { } kind)
        {
            _function = null;
            _kind = kind;
            _name = "";
            _description = "";
            _active = kind != FunctionKind.EventHandler; // a new handler would run on live events before it was tested
            _eventType = kind == FunctionKind.EventHandler ? EventTypes.ConversationClosed : null;
            _arguments = TakesArguments ? [new ArgumentDefinition("orderId", "string", "The order to look up")] : [];
            _initialCode = StarterTemplates.For(kind);
            _savedCode = null;
            _dirty = false;
        }
        else _notFound = true;
        _loaded = true;
    }

    private void Load(PythonFunction function)
    {
        _function = function;
        _kind = function.Kind;
        _name = function.Name;
        _description = function.Description;
        _active = function.IsActive;
        _eventType = function.EventType;
        _arguments = ArgumentDefinitions.Parse(function.ArgumentsJson);
        _initialCode = function.Code;
        _savedCode = function.Code;
        _dirty = false;
    }

    private Task<string> GetCodeAsync() => _editor?.GetCodeAsync() ?? Task.FromResult(_initialCode);

    private void MarkDirty()
    {
        if (_dirty) return;
        _dirty = true;
        StateHasChanged();
    }

    private void ArgumentsChanged(IReadOnlyList<ArgumentDefinition> arguments)
    {
        _arguments = arguments;
        MarkDirty();
    }

    private string? FieldError(string property) => _errors.FirstOrDefault(e => e.PropertyName == property)?.ErrorMessage;

    private IReadOnlyDictionary<int, string> ArgumentProblems => _errors
        .Select(e => (e, index: ArgumentIndex(e.PropertyName)))
        .Where(x => x.index is not null)
        .GroupBy(x => x.index!.Value)
        .ToDictionary(g => g.Key, g => g.First().e.ErrorMessage);

    private static int? ArgumentIndex(string property) =>
        property.StartsWith("Arguments[") && int.TryParse(property["Arguments[".Length..property.IndexOf(']')], out var index) ? index : null;

    private async Task SaveAsync(bool overwrite = false)
    {
        if (_saving || _editor is null) return;
        _saving = true;
        StateHasChanged();
        try
        {
            var code = await _editor.GetCodeAsync();
            var draft = new FunctionDraft
            {
                FunctionId = _function?.Id,
                Kind = _kind,
                Name = _name,
                Description = _description,
                Code = code,
                IsActive = _active,
                EventType = _eventType,
                Arguments = _arguments.ToList(),
            };
            var result = _function is null
                ? await Functions.CreateAsync(draft)
                : await Functions.UpdateAsync(draft, overwrite ? null : _function.Version);
            _errors = result.Errors.ToList();
            _warnings = result.Warnings.ToList();
            _conflict = result.Conflict;
            if (result.NotFound)
            {
                Snackbar.Add("This script was deleted by someone else. Your code is still in the editor; copy it before leaving.", MudBlazor.Severity.Error);
                return;
            }
            await MarkCodeAsync(result.CodeError is { } error ? [Marker(error)] : []);
            if (!result.Succeeded) return;

            var created = _function is null;
            _function = result.Function!;
            _name = _function.Name;
            _savedCode = _function.Code;
            _dirty = false;
            Snackbar.Add($"Saved version {_function.Version}", MudBlazor.Severity.Success);
            if (created) Navigation.NavigateTo($"/scripts/{_function.Id}", replace: true);
        }
        finally
        {
            _saving = false;
            StateHasChanged();
        }
    }

    private async Task RunTestAsync()
    {
        if (_testPanel is not null) await _testPanel.RunAsync();
    }

    private async Task RunFinishedAsync(StudioRunView run)
    {
        await MarkCodeAsync(run.Error is { Line: not null } error ? [Marker(error)] : []);
        if (_recentRuns is not null) await _recentRuns.ReloadAsync();
    }

    private async Task ShowRunAsync(long runId)
    {
        var run = await Functions.GetRunAsync(runId);
        if (run is null || _testPanel is null) return;
        _testPanel.Show(StudioRunView.From(run, Checker));
    }

    private static EditorMarker Marker(Scripting.Engine.ScriptError error) =>
        new(error.Line ?? 1, error.Column, FunctionDraftValidator.Describe(error with { Line = null, Column = null }));

    private async Task MarkCodeAsync(IReadOnlyList<EditorMarker> markers)
    {
        if (_editor is null) return;
        if (markers.Count == 0) await _editor.ClearMarkersAsync();
        else await _editor.SetMarkersAsync(markers);
    }

    private async Task RestoreAsync(int version)
    {
        if (_function is null) return;
        var confirmed = await Dialogs.ShowMessageBoxAsync("Restore version",
            $"Save the content of version {version} as version {_function.Version + 1}?" + (_dirty ? " Your unsaved edits in the editor will be replaced." : ""),
            yesText: "Restore", cancelText: "Cancel");
        if (confirmed != true) return;
        var result = await Functions.RestoreAsync(_function.Id, version, _function.Version);
        if (!result.Succeeded)
        {
            _conflict = result.Conflict;
            _errors = result.Errors.ToList();
            if (result.NotFound) Snackbar.Add($"Version {version} no longer exists.", MudBlazor.Severity.Error);
            return;
        }
        Load(result.Function!);
        _errors = [];
        _conflict = null;
        if (_editor is not null)
        {
            await _editor.SetCodeAsync(_function!.Code);
            await _editor.ClearMarkersAsync();
        }
        Snackbar.Add($"Restored version {version} as version {_function!.Version}", MudBlazor.Severity.Success);
    }

    private async Task DeleteAsync()
    {
        if (_function is null) return;
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete script",
            $"Delete the {KindName} '{_function.Name}' and its {_function.Version} version(s)? Its past runs stay in the run log.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true) return;
        await Functions.DeleteAsync(_function.Id);
        _dirty = false;
        Snackbar.Add($"Deleted {_function.Name}", MudBlazor.Severity.Success);
        Navigation.NavigateTo("/scripts");
    }

    private async Task ConfirmLeaveAsync(LocationChangingContext context)
    {
        if (!_dirty) return;
        var leave = await Dialogs.ShowMessageBoxAsync("Unsaved changes", "Leave without saving? Your changes to this script will be lost.",
            yesText: "Leave", cancelText: "Stay");
        if (leave != true) context.PreventNavigation();
    }
}
