using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Scripting;

public enum ScriptRunStatus
{
    Ok,
    /// <summary>The script raised, failed to compile, or lacks its entry function.</summary>
    Error,
    Timeout,
    /// <summary>A limit other than time was broken (memory, CPU, output, processes) or the worker died.</summary>
    Killed,
    /// <summary>The script ran but its result is unusable (not JSON-serialisable, too large, or fails the widget format).</summary>
    Invalid,
    Cancelled,
    /// <summary>The engine cannot run scripts here (e.g. python3 is not installed).</summary>
    Unavailable,
}

public enum RunTrigger { Test, Sidebar, Event, Action, Cli }

/// <summary>The record of one script execution, whoever triggered it.</summary>
public class ScriptRun : ITenantOwned
{
    public long Id { get; set; }
    public int OrganizationId { get; set; }
    public int? FunctionId { get; set; }
    public int? FunctionVersion { get; set; }
    public string FunctionName { get; set; } = "";
    public FunctionKind Kind { get; set; }
    public RunTrigger Trigger { get; set; }
    public Guid? ConversationId { get; set; }
    public long? EventJobId { get; set; }
    public int Attempt { get; set; } = 1;
    public ScriptRunStatus Status { get; set; }
    public string? ResultJson { get; set; }
    public string Stdout { get; set; } = "";
    public string Stderr { get; set; } = "";
    public string? ErrorType { get; set; }
    public string? ErrorMessage { get; set; }
    public string? Traceback { get; set; }
    public int? ErrorLine { get; set; }
    public double DurationMs { get; set; }
    /// <summary>JSON of the effects the run requested (metadata set/deleted, tags, events).</summary>
    public string? EffectsJson { get; set; }
    public bool EffectsApplied { get; set; }
    /// <summary>The exact context the script received (pretty JSON), for the run log and the studio.</summary>
    public string? ContextJson { get; set; }
    public string? TriggeredBy { get; set; }
    public DateTime StartedAt { get; set; } = DateTime.UtcNow;
}

public sealed class ScriptRunConfiguration : IEntityTypeConfiguration<ScriptRun>
{
    public void Configure(EntityTypeBuilder<ScriptRun> b)
    {
        b.Property(x => x.FunctionName).HasMaxLength(200);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.Trigger).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.ErrorType).HasMaxLength(200);
        b.Property(x => x.TriggeredBy).HasMaxLength(256);
        b.HasIndex(x => new { x.OrganizationId, x.StartedAt });
        b.HasIndex(x => new { x.FunctionId, x.StartedAt });
        b.HasIndex(x => new { x.ConversationId, x.StartedAt });
        b.HasIndex(x => x.EventJobId);
        b.HasOne<PythonFunction>().WithMany().HasForeignKey(x => x.FunctionId).OnDelete(DeleteBehavior.SetNull);
    }
}
