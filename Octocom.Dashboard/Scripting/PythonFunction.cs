using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Scripting;

/// <summary>An admin-written Python function: sidebar widget, event handler, custom action or condition provider.</summary>
public class PythonFunction : ITenantOwned
{
    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public FunctionKind Kind { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public string Code { get; set; } = "";
    public bool IsActive { get; set; } = true;
    /// <summary>Display order (sidebar widgets are shown in this order).</summary>
    public int SortOrder { get; set; }
    /// <summary>Event handlers only: conversation_closed or conversation_handed_off.</summary>
    public string? EventType { get; set; }
    /// <summary>Custom actions and condition providers: JSON array of <see cref="ArgumentDefinition"/>.</summary>
    public string ArgumentsJson { get; set; } = "[]";
    /// <summary>Incremented on every save; a copy of each saved state is kept in <see cref="PythonFunctionVersion"/>.</summary>
    public int Version { get; set; } = 1;
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public DateTime UpdatedAt { get; set; } = DateTime.UtcNow;
    public string? UpdatedBy { get; set; }
}

public sealed record ArgumentDefinition(string Name, string Type = "string", string Description = "", bool Required = true)
{
    public static readonly string[] Types = ["string", "number", "integer", "boolean", "json"];
}

/// <summary>A saved state of a function; runs record which version ran.</summary>
public class PythonFunctionVersion : ITenantOwned
{
    public long Id { get; set; }
    public int OrganizationId { get; set; }
    public int FunctionId { get; set; }
    public int Version { get; set; }
    public required string Name { get; set; }
    public string Code { get; set; } = "";
    public string? EventType { get; set; }
    public string ArgumentsJson { get; set; } = "[]";
    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;
    public string? CreatedBy { get; set; }
}

public sealed class PythonFunctionConfiguration : IEntityTypeConfiguration<PythonFunction>
{
    public void Configure(EntityTypeBuilder<PythonFunction> b)
    {
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Description).HasMaxLength(2000);
        b.Property(x => x.EventType).HasMaxLength(64);
        b.Property(x => x.UpdatedBy).HasMaxLength(256);
        b.HasIndex(x => new { x.OrganizationId, x.Kind, x.Name }).IsUnique();
        b.HasIndex(x => new { x.OrganizationId, x.Kind, x.IsActive, x.EventType });
    }
}

public sealed class PythonFunctionVersionConfiguration : IEntityTypeConfiguration<PythonFunctionVersion>
{
    public void Configure(EntityTypeBuilder<PythonFunctionVersion> b)
    {
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.EventType).HasMaxLength(64);
        b.Property(x => x.CreatedBy).HasMaxLength(256);
        b.HasIndex(x => new { x.FunctionId, x.Version }).IsUnique();
        b.HasOne<PythonFunction>().WithMany().HasForeignKey(x => x.FunctionId).OnDelete(DeleteBehavior.Cascade);
    }
}
