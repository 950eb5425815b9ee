using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Scripting.Engine;
using Octocom.Dashboard.Secrets;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Scripting;

/// <summary>What to run, on what, and what to do with the outcome. See <see cref="ScriptRunner.RunAsync"/>.</summary>
public sealed record ScriptRunRequest
{
    public required FunctionKind Kind { get; init; }
    public required string Code { get; init; }

    /// <summary>The saved function this code belongs to, when there is one (recorded on the run).</summary>
    public int? FunctionId { get; init; }
    public int? FunctionVersion { get; init; }
    /// <summary>Shown in tracebacks ("CRM sync.py"), the run log and the timeline source ("script:CRM sync").</summary>
    public string? FunctionName { get; init; }

    /// <summary>Conversation GUID or public ID. Required for sidebar widgets and event handlers.</summary>
    public string? Conversation { get; init; }
    /// <summary>Business for custom actions and condition providers run without a conversation.</summary>
    public int? BusinessId { get; init; }
    /// <summary>Custom actions and condition providers: <c>context["args"]</c>. Ignored for other kinds.</summary>
    public JsonObject? Args { get; init; }
    /// <summary>Event handlers: conversation_closed or conversation_handed_off (becomes <c>args.event_type</c>).</summary>
    public string? EventType { get; init; }

    public RunTrigger Trigger { get; init; } = RunTrigger.Test;
    /// <summary>True: a successful run's effects are applied. False (dry run): they are only validated and returned.</summary>
    public bool ApplyEffects { get; init; }
    /// <summary>Write a <see cref="ScriptRun"/> row (the run log).</summary>
    public bool Record { get; init; } = true;
    /// <summary>The event-outbox job this run serves, and which attempt it is (event dispatcher).</summary>
    public long? EventJobId { get; init; }
    public int Attempt { get; init; } = 1;
    /// <summary>Null: the configured limits of <see cref="Kind"/>.</summary>
    public ScriptLimits? Limits { get; init; }
    /// <summary>Recorded on the run; defaults to the scope's user ("system" in background scopes).</summary>
    public string? TriggeredBy { get; init; }
}

/// <summary>Everything a caller shows or stores about one run.</summary>
public sealed record ScriptRunOutcome
{
    public required ScriptResult Result { get; init; }
    /// <summary>The exact context the script received, as indented JSON ("" when it could not be built).</summary>
    public string ContextJson { get; init; } = "";
    /// <summary>The <see cref="ScriptRun"/> row, when recorded.</summary>
    public long? RunId { get; init; }
    public Guid? ConversationId { get; init; }
    public bool EffectsApplied { get; init; }
    /// <summary>Effects refused (or, in a dry run, that would be refused). Non-empty means nothing was applied.</summary>
    public IReadOnlyList<EffectRejection> Rejections { get; init; } = [];

    public ScriptRunStatus Status => Result.Status;
    public bool Succeeded => Result.Status == ScriptRunStatus.Ok;
}

/// <summary>
/// The one way every feature runs a script (sidebar widgets, event dispatcher, studio test runs, custom actions,
/// the CLI). Builds the context (<see cref="ScriptContextBuilder"/>), loads the organization's secrets, runs the
/// engine, applies a successful live run's effects in one transaction (<see cref="ScriptEffectApplier"/>), records
/// a <see cref="ScriptRun"/> and notifies open conversation views. Scoped: it acts for the scope's organization.
/// Never throws for a script's failure or for a missing conversation — the outcome's status says what happened.
/// </summary>
public sealed class ScriptRunner(
    ScriptContextBuilder contextBuilder,
    IScriptEngine engine,
    ScriptSecretService secrets,
    ScriptEffectApplier effectApplier,
    IDbContextFactory<DashboardDbContext> dbFactory,
    ConversationNotifier notifier,
    TenantContext tenant,
    TimeProvider clock,
    IEnumerable<IScriptResultCheck> resultChecks,
    ILogger<ScriptRunner> logger)
{
    public const int MaxStoredOutputChars = 200_000;

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public async Task<ScriptRunOutcome> RunAsync(ScriptRunRequest request, CancellationToken ct = default)
    {
        var startedAt = clock.GetUtcNow().UtcDateTime;
        var name = string.IsNullOrWhiteSpace(request.FunctionName) ? "script" : request.FunctionName.Trim();
        ScriptContext? context = null;
        ScriptResult result;
        try
        {
            context = await contextBuilder.BuildAsync(request.Kind, request.Conversation, request.BusinessId, request.Args, request.EventType, ct);
            result = await RunEngineAsync(request, context, name, ct);
            if (result.Status == ScriptRunStatus.Ok
                && resultChecks.FirstOrDefault(c => c.Kind == request.Kind)?.Check(result.Result) is { } rejection)
                result = result with { Status = ScriptRunStatus.Invalid, Error = rejection };
        }
        catch (ScriptContextException e)
        {
            result = ScriptResult.Failed(ScriptRunStatus.Invalid, e.Code, e.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            result = ScriptResult.Failed(ScriptRunStatus.Cancelled, "Cancelled", "The run was cancelled.");
        }

        var application = await HandleEffectsAsync(request, context, result, name);
        var outcome = new ScriptRunOutcome
        {
            Result = result,
            ContextJson = context?.Context.ToJsonString(Indented) ?? "",
            ConversationId = context?.ConversationId,
            EffectsApplied = application.Applied,
            Rejections = application.Rejections,
        };
        if (request.Record)
            outcome = outcome with { RunId = await RecordAsync(request, outcome, name, startedAt) };

        if (outcome.ConversationId is { } conversationId)
        {
            var organizationId = tenant.RequireOrganizationId();
            foreach (var change in application.Changes) notifier.Publish(organizationId, conversationId, change);
            if (outcome.RunId is not null) notifier.Publish(organizationId, conversationId, ConversationChangeKind.ScriptRun);
        }
        return outcome;
    }

    private async Task<ScriptResult> RunEngineAsync(ScriptRunRequest request, ScriptContext context, string name, CancellationToken ct)
    {
        IReadOnlyDictionary<string, string> secretValues;
        try
        {
            secretValues = await secrets.GetDecryptedAsync(ct);
        }
        catch (CryptographicException e)
        {
            logger.LogError(e, "The organization's script secrets could not be decrypted");
            return ScriptResult.Failed(ScriptRunStatus.Unavailable, "SecretsUnavailable",
                "The organization's secrets could not be decrypted (was the Data Protection key ring replaced?).");
        }
        return await engine.RunAsync(new ScriptRequest
        {
            Kind = request.Kind,
            Code = request.Code,
            Context = context.Context,
            Metadata = context.Metadata,
            Secrets = secretValues,
            Limits = request.Limits,
            FileName = name,
        }, ct);
    }

    private async Task<EffectApplication> HandleEffectsAsync(ScriptRunRequest request, ScriptContext? context, ScriptResult result, string name)
    {
        if (result.Status != ScriptRunStatus.Ok || result.Effects.IsEmpty || context is null) return EffectApplication.Nothing;
        if (context.ConversationId is not { } conversationId)
            return new EffectApplication(false, ScriptEffectApplier.WithoutConversation(result.Effects), []);
        // Not cancellable: once a run has succeeded its effects are committed (or refused) as a whole.
        return request.ApplyEffects
            ? await effectApplier.ApplyAsync(conversationId, result.Effects, name, CancellationToken.None)
            : await effectApplier.ValidateAsync(conversationId, result.Effects, name, CancellationToken.None);
    }

    private async Task<long> RecordAsync(ScriptRunRequest request, ScriptRunOutcome outcome, string name, DateTime startedAt)
    {
        var result = outcome.Result;
        var run = new ScriptRun
        {
            FunctionId = request.FunctionId,
            FunctionVersion = request.FunctionVersion,
            FunctionName = Truncate(name, 200),
            Kind = request.Kind,
            Trigger = request.Trigger,
            ConversationId = outcome.ConversationId,
            EventJobId = request.EventJobId,
            Attempt = request.Attempt,
            Status = result.Status,
            ResultJson = result.Result?.ToJsonString(),
            Stdout = Truncate(result.Stdout, MaxStoredOutputChars),
            Stderr = Truncate(result.Stderr, MaxStoredOutputChars),
            ErrorType = result.Error is null ? null : Truncate(result.Error.Type, 200),
            ErrorMessage = result.Error?.Message,
            Traceback = result.Error?.Traceback,
            ErrorLine = result.Error?.Line,
            DurationMs = Math.Round(result.Duration.TotalMilliseconds, 3),
            EffectsJson = EffectsJson(result.Effects, outcome.Rejections),
            EffectsApplied = outcome.EffectsApplied,
            ContextJson = outcome.ContextJson.Length == 0 ? null : outcome.ContextJson,
            TriggeredBy = Truncate(request.TriggeredBy ?? tenant.UserName, 256),
            StartedAt = startedAt,
        };
        // Recorded even when the caller gave up (cancelled): the log must show every run.
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        db.ScriptRuns.Add(run);
        await db.SaveChangesAsync(CancellationToken.None);
        return run.Id;
    }

    /// <summary>The effects a run requested and any refusals, as stored in <see cref="ScriptRun.EffectsJson"/>; null when there were none.</summary>
    public static string? EffectsJson(ScriptEffects effects, IReadOnlyList<EffectRejection> rejections)
    {
        if (effects.IsEmpty && rejections.Count == 0) return null;
        var json = new JsonObject
        {
            ["metadata"] = new JsonArray(effects.Metadata.Select(m => (JsonNode)new JsonObject { ["key"] = m.Key, ["value"] = m.Value }).ToArray()),
            ["tags"] = new JsonArray(effects.Tags.Select(t => (JsonNode?)t).ToArray()),
            ["events"] = new JsonArray(effects.Events.Select(e => (JsonNode)new JsonObject
            {
                ["type"] = e.Type, ["description"] = e.Description, ["data"] = e.Data?.DeepClone(),
            }).ToArray()),
            ["rejections"] = new JsonArray(rejections.Select(r => (JsonNode)new JsonObject
            {
                ["effect"] = r.Effect, ["target"] = r.Target, ["rule"] = r.Rule, ["message"] = r.Message,
            }).ToArray()),
        };
        return json.ToJsonString(Indented);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
