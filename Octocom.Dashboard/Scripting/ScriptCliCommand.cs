using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Cli;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Scripting.Engine;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Scripting;

/// <summary>
/// <c>script run --kind widget --file my.py --conversation A1B2C3 [--organization demo] [--business slug]
/// [--args '{..}'] [--event conversation_closed] [--apply] [--name CRM] [--timeout 5] [--no-record] [--show-context]</c>
/// prints the run as JSON on stdout and exits 0 when the script succeeded, 1 when it failed, 2 when it could not run.
/// <c>script status</c> prints what the engine enforces on this machine.
/// </summary>
public sealed class ScriptCliCommand : ICliCommand
{
    public const int ExitOk = 0, ExitScriptFailed = 1, ExitCannotRun = 2;

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public Command Build(IServiceProvider services)
    {
        var command = new Command("script", "Run Python scripts from the command line (CI, scripts kept in git)");
        command.Subcommands.Add(BuildRun(services));
        command.Subcommands.Add(BuildStatus(services));
        return command;
    }

    private static Command BuildRun(IServiceProvider services)
    {
        var kind = new Option<string>("--kind") { Description = "widget | handler | action | condition", Required = true };
        var file = new Option<FileInfo>("--file") { Description = "The Python file to run", Required = true };
        var conversation = new Option<string?>("--conversation") { Description = "Conversation public ID or GUID" };
        var organization = new Option<string?>("--organization") { Description = "Organization slug (default: the first)" };
        var business = new Option<string?>("--business") { Description = "Business slug, for actions and conditions without a conversation (default: the organization's first)" };
        var args = new Option<string?>("--args") { Description = "context[\"args\"] as a JSON object (actions, conditions)" };
        var eventType = new Option<string?>("--event") { Description = "Event handlers: conversation_closed | conversation_handed_off" };
        var apply = new Option<bool>("--apply") { Description = "Apply the effects of a successful run (default: dry run)" };
        var name = new Option<string?>("--name") { Description = "Name for tracebacks and the run log (default: the file name)" };
        var timeout = new Option<double?>("--timeout") { Description = "Timeout in seconds (default: the kind's configured limit)" };
        var noRecord = new Option<bool>("--no-record") { Description = "Do not write the run to the run log" };
        var showContext = new Option<bool>("--show-context") { Description = "Include the context the script received" };
        var command = new Command("run", "Run a script file against a conversation and print the result as JSON")
        {
            kind, file, conversation, organization, business, args, eventType, apply, name, timeout, noRecord, showContext,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var input = new CliRun(
                parsed.GetValue(kind)!, parsed.GetValue(file)!, parsed.GetValue(conversation), parsed.GetValue(organization),
                parsed.GetValue(business), parsed.GetValue(args), parsed.GetValue(eventType), parsed.GetValue(apply),
                parsed.GetValue(name), parsed.GetValue(timeout), !parsed.GetValue(noRecord), parsed.GetValue(showContext));
            return await RunAsync(services, input, Console.Out, ct);
        });
        return command;
    }

    private static Command BuildStatus(IServiceProvider services)
    {
        var command = new Command("status", "Show the Python engine's interpreter, sandbox and warnings");
        command.SetAction(_ =>
        {
            var status = services.GetRequiredService<IScriptEngine>().Status;
            Console.Out.WriteLine(JsonSerializer.Serialize(status, Json));
            return status.Available ? ExitOk : ExitCannotRun;
        });
        return command;
    }

    public sealed record CliRun(string Kind, FileInfo File, string? Conversation, string? Organization, string? Business,
        string? Args, string? EventType, bool Apply, string? Name, double? TimeoutSeconds, bool Record, bool ShowContext);

    public static async Task<int> RunAsync(IServiceProvider services, CliRun run, TextWriter output, CancellationToken ct)
    {
        if (FunctionKinds.FromSlug(run.Kind) is not { } kind)
            return Fail(output, $"Unknown --kind '{run.Kind}'; use widget, handler, action or condition.");
        if (!run.File.Exists) return Fail(output, $"File '{run.File.FullName}' does not exist.");
        JsonObject? args = null;
        if (!string.IsNullOrWhiteSpace(run.Args))
        {
            try { args = JsonNode.Parse(run.Args) as JsonObject ?? throw new JsonException("not an object"); }
            catch (JsonException e) { return Fail(output, $"--args must be a JSON object: {e.Message}"); }
        }

        await using var lookup = services.CreateAsyncScope();
        await using var db = await lookup.ServiceProvider.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync(ct);
        var org = await db.Organizations.OrderBy(o => o.Id)
            .FirstOrDefaultAsync(o => run.Organization == null || o.Slug == run.Organization, ct);
        if (org is null) return Fail(output, run.Organization is null ? "There is no organization yet." : $"Organization '{run.Organization}' does not exist.");

        int? businessId = null;
        if (run.Conversation is null)
        {
            businessId = await db.Businesses.IgnoreQueryFilters() // the tenant is chosen by --organization; filtered explicitly
                .Where(b => b.OrganizationId == org.Id && (run.Business == null || b.Slug == run.Business))
                .OrderBy(b => b.Id).Select(b => (int?)b.Id).FirstOrDefaultAsync(ct);
            if (businessId is null && run.Business is not null)
                return Fail(output, $"Business '{run.Business}' does not exist in organization '{org.Slug}'.");
        }

        await using var scope = services.GetRequiredService<TenantScopes>().Create(org.Id, "cli");
        var outcome = await scope.ServiceProvider.GetRequiredService<ScriptRunner>().RunAsync(new ScriptRunRequest
        {
            Kind = kind,
            Code = await File.ReadAllTextAsync(run.File.FullName, ct),
            FunctionName = run.Name ?? run.File.Name,
            Conversation = run.Conversation,
            BusinessId = businessId,
            Args = args,
            EventType = run.EventType,
            Trigger = RunTrigger.Cli,
            ApplyEffects = run.Apply,
            Record = run.Record,
            Limits = run.TimeoutSeconds is { } seconds
                ? LimitsWithTimeout(services, kind, TimeSpan.FromSeconds(seconds))
                : null,
        }, ct);

        await output.WriteLineAsync(JsonSerializer.Serialize(ToJson(outcome, run.ShowContext), Json));
        return outcome.Status switch
        {
            ScriptRunStatus.Ok => ExitOk,
            ScriptRunStatus.Unavailable => ExitCannotRun,
            _ => ExitScriptFailed,
        };
    }

    private static ScriptLimits LimitsWithTimeout(IServiceProvider services, FunctionKind kind, TimeSpan timeout) =>
        services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ScriptingOptions>>().Value.Limits.For(kind).ToLimits()
            with { Timeout = timeout };

    /// <summary>The CLI's JSON shape of a run (also a convenient summary for logs).</summary>
    public static JsonObject ToJson(ScriptRunOutcome outcome, bool includeContext = false)
    {
        var r = outcome.Result;
        var json = new JsonObject
        {
            ["status"] = r.Status.ToString().ToLowerInvariant(),
            ["result"] = r.Result?.DeepClone(),
            ["stdout"] = r.Stdout,
            ["stderr"] = r.Stderr,
            ["outputTruncated"] = r.OutputTruncated,
            ["error"] = r.Error is null ? null : new JsonObject
            {
                ["type"] = r.Error.Type, ["message"] = r.Error.Message, ["line"] = r.Error.Line, ["traceback"] = r.Error.Traceback,
            },
            ["durationMs"] = Math.Round(r.Duration.TotalMilliseconds, 2),
            ["effects"] = ScriptRunner.EffectsJson(r.Effects, outcome.Rejections) is { } effects ? JsonNode.Parse(effects) : null,
            ["effectsApplied"] = outcome.EffectsApplied,
            ["runId"] = outcome.RunId,
            ["conversationId"] = outcome.ConversationId?.ToString(),
        };
        if (includeContext && outcome.ContextJson.Length > 0) json["context"] = JsonNode.Parse(outcome.ContextJson);
        return json;
    }

    private static int Fail(TextWriter output, string message)
    {
        output.WriteLine(JsonSerializer.Serialize(new JsonObject
        {
            ["status"] = "usage_error",
            ["error"] = new JsonObject { ["type"] = "UsageError", ["message"] = message },
        }, Json));
        return ExitCannotRun;
    }
}
