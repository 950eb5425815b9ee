using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Secrets;

public sealed record SecretInfo(string Name, DateTime UpdatedAt, string? UpdatedBy);

/// <summary>
/// Named secrets for scripts (get_secret("CRM_API_KEY")). Values are encrypted with ASP.NET Data Protection, using a
/// purpose bound to the organization so a value copied into another tenant's row cannot be decrypted. Values are
/// never returned to the UI — only to the script engine, which masks them in everything a run prints or returns.
/// </summary>
public sealed partial class ScriptSecretService(
    IDbContextFactory<DashboardDbContext> dbFactory,
    IDataProtectionProvider dataProtection,
    TenantContext tenant,
    TimeProvider clock)
{
    public const int MaxValueLength = 10_000;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,99}$")]
    private static partial Regex NamePattern();

    /// <summary>Null when valid; otherwise why the name is not acceptable.</summary>
    public static string? ValidateName(string? name) =>
        name is not null && NamePattern().IsMatch(name)
            ? null
            : "A secret name starts with a letter or underscore and has only letters, digits and underscores (at most 100).";

    public static string? ValidateValue(string? value) =>
        string.IsNullOrEmpty(value) ? "A secret needs a value."
        : value.Length > MaxValueLength ? $"A secret value is limited to {MaxValueLength:N0} characters."
        : null;

    public async Task<IReadOnlyList<SecretInfo>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ScriptSecrets.AsNoTracking().OrderBy(s => s.Name)
            .Select(s => new SecretInfo(s.Name, s.UpdatedAt, s.UpdatedBy)).ToListAsync(ct);
    }

    /// <summary>Creates the secret or replaces its value. Returns true when it was created.</summary>
    public async Task<bool> SetAsync(string name, string value, CancellationToken ct = default)
    {
        if (ValidateName(name) is { } nameError) throw new ArgumentException(nameError, nameof(name));
        if (ValidateValue(value) is { } valueError) throw new ArgumentException(valueError, nameof(value));
        var organizationId = tenant.RequireOrganizationId();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var secret = await db.ScriptSecrets.FirstOrDefaultAsync(s => s.Name == name, ct);
        var created = secret is null;
        var now = clock.GetUtcNow().UtcDateTime;
        secret ??= db.ScriptSecrets.Add(new ScriptSecret { Name = name, ProtectedValue = "", CreatedAt = now }).Entity;
        secret.ProtectedValue = Protector(organizationId).Protect(value);
        secret.UpdatedAt = now;
        secret.UpdatedBy = tenant.UserName;
        await db.SaveChangesAsync(ct);
        return created;
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ScriptSecrets.Where(s => s.Name == name).ExecuteDeleteAsync(ct) > 0;
    }

    /// <summary>All of the current organization's secrets, decrypted — for the script engine only.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetDecryptedAsync(CancellationToken ct = default)
    {
        var organizationId = tenant.RequireOrganizationId();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ScriptSecrets.AsNoTracking().Select(s => new { s.Name, s.ProtectedValue }).ToListAsync(ct);
        var protector = Protector(organizationId);
        return rows.ToDictionary(r => r.Name, r => protector.Unprotect(r.ProtectedValue), StringComparer.Ordinal);
    }

    private IDataProtector Protector(int organizationId) =>
        dataProtection.CreateProtector("Octocom.ScriptSecrets.v1", $"org:{organizationId}");
}
