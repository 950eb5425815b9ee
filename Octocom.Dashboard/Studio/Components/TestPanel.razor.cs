using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Octocom.Dashboard.Actions.Components;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;
using Octocom.Dashboard.Widgets;

namespace Octocom.Dashboard.Studio.Components;

public partial class TestPanel : IDisposable
{
    [Inject] private ScriptRunner Runner { get; set; } = default!;
    [Inject] private BusinessService Businesses { get; set; } = default!;
    [Inject] private WidgetResultChecker Checker { get; set; } = default!;
    [Inject] private IScriptEngine Engine { get; set; } = default!;

    [Parameter, EditorRequired] public FunctionKind Kind { get; set; }
    /// <summary>The editor's current code (saved or not) — read when a run starts.</summary>
    [Parameter, EditorRequired] public Func<Task<string>> GetCode { get; set; } = default!;
    [Parameter] public int? FunctionId { get; set; }
    [Parameter] public string? FunctionName { get; set; }
    /// <summary>The saved version and its code: a run of exactly that code records the version; edited code records none.</summary>
    [Parameter] public int? SavedVersion { get; set; }
    [Parameter] public string? SavedCode { get; set; }
    [Parameter] public IReadOnlyList<ArgumentDefinition> Arguments { get; set; } = [];
    [Parameter] public string? DefaultEventType { get; set; }
    [Parameter] public string? InitialConversation { get; set; }
    /// <summary>Overrides the kind's configured limits (tests use short timeouts).</summary>
    [Parameter] public ScriptLimits? Limits { get; set; }
    /// <summary>After every run: the editor marks the error line and refreshes its run list.</summary>
    [Parameter] public EventCallback<StudioRunView> OnRunFinished { get; set; }

    private IReadOnlyList<Business> _businesses = [];
    private int? _businessId;
    private ConversationPicker? _picker;
    private ConversationOption? _conversation;
    private ArgumentsForm? _argsForm;
    private string _eventType = EventTypes.ConversationClosed;
    private bool _applyEffects;
    private bool _running;
    private CancellationTokenSource? _cts;
    private TimeSpan _elapsed;
    private StudioRunView? _run;
    private string? _problem;
    private bool _engineAvailable = true;
    private string _engineDescription = "";

    private bool NeedsConversation => Kind is FunctionKind.SidebarWidget or FunctionKind.EventHandler;

    private string StateName => _running ? "running" : _run is null ? "idle" : _run.Status.ToString().ToLowerInvariant();

    protected override async Task OnInitializedAsync()
    {
        _businesses = await Businesses.ListAsync();
        _businessId = _businesses.FirstOrDefault()?.Id;
        if (DefaultEventType is { } type && EventTypes.All.Contains(type)) _eventType = type;
        var status = await Task.Run(() => Engine.Status);
        _engineAvailable = status.Available;
        _engineDescription = status.Description;
    }

    /// <summary>Runs the test (the Run button, or Ctrl+Enter in the editor). Ignored while a run is in flight.</summary>
    public async Task RunAsync()
    {
        if (_running) return;
        _problem = null;
        ConversationOption? conversation;
        try
        {
            conversation = _picker is null ? _conversation : await _picker.ResolveAsync();
        }
        catch (ConversationNotFoundException e)
        {
            _problem = $"There is no conversation '{e.Reference}' in your organization.";
            return;
        }
        if (NeedsConversation && conversation is null)
        {
            _problem = $"Choose a conversation to test against: a {Kind.DisplayName().ToLowerInvariant()} always runs for one.";
            return;
        }
        JsonObject? args = null;
        if (_argsForm is not null)
        {
            args = _argsForm.Build();
            if (args is null)
            {
                _problem = "Check the arguments.";
                return;
            }
        }

        var code = await GetCode();
        var version = SavedCode is not null && code == SavedCode ? SavedVersion : null;
        var apply = _applyEffects;
        _running = true;
        _cts = new CancellationTokenSource();
        var stopwatch = Stopwatch.StartNew();
        _elapsed = TimeSpan.Zero;
        _ = TickAsync(stopwatch, _cts.Token);
        StateHasChanged();
        try
        {
            var outcome = await Runner.RunAsync(new ScriptRunRequest
            {
                Kind = Kind,
                Code = code,
                FunctionId = FunctionId,
                FunctionVersion = version,
                FunctionName = string.IsNullOrWhiteSpace(FunctionName) ? null : FunctionName,
                Conversation = conversation?.Id.ToString(),
                BusinessId = conversation is null ? _businessId : null,
                Args = args,
                EventType = Kind == FunctionKind.EventHandler ? _eventType : null,
                Trigger = RunTrigger.Test,
                ApplyEffects = apply,
                Limits = Limits,
            }, _cts.Token);
            _run = StudioRunView.From(outcome, Kind, apply, version, Checker);
        }
        finally
        {
            _running = false;
            _cts.Cancel();
            _cts.Dispose();
            _cts = null;
        }
        await OnRunFinished.InvokeAsync(_run);
    }

    /// <summary>Shows a stored run (the editor's run history) in the result area.</summary>
    public void Show(StudioRunView run)
    {
        _run = run;
        StateHasChanged();
    }

    private void Cancel() => _cts?.Cancel();

    private async Task TickAsync(Stopwatch stopwatch, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                _elapsed = stopwatch.Elapsed;
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _cts?.Cancel();
    }
}
