using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Audit;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Secrets;

/// <param name="Readable">False when the stored value cannot be decrypted (e.g. the Data Protection key ring was lost); replace it.</param>
public sealed record SecretInfo(string Name, DateTime UpdatedAt, string? UpdatedBy, bool Readable = true);

/// <summary>
/// Named secrets for scripts (get_secret("CRM_API_KEY")). Values are encrypted with ASP.NET Data Protection, using a
/// purpose bound to the organization so a value copied into another tenant's row cannot be decrypted. Values are
/// never returned to the UI — only to the script engine, which masks them in everything a run prints or returns.
/// Every change is written to the audit trail in the same transaction (names only, never values).
/// </summary>
public sealed partial class ScriptSecretService(
    IDbContextFactory<DashboardDbContext> dbFactory,
    IDataProtectionProvider dataProtection,
    TenantContext tenant,
    AuditLog audit,
    TimeProvider clock,
    ILogger<ScriptSecretService> logger)
{
    public const int MaxValueLength = 10_000;
    public const string ProtectorPurpose = "Octocom.ScriptSecrets.v1";

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
        var organizationId = tenant.RequireOrganizationId();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ScriptSecrets.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
        var protector = Protector(organizationId);
        return rows.Select(s => new SecretInfo(s.Name, s.UpdatedAt, s.UpdatedBy, TryUnprotect(protector, s.ProtectedValue, out _))).ToList();
    }

    /// <summary>Creates the secret or replaces its value. Returns true when it was created.</summary>
    public async Task<bool> SetAsync(string name, string value, CancellationToken ct = default) =>
        await WriteAsync(name, value, allowCreate: true, allowReplace: true, ct) == SecretWrite.Created;

    /// <summary>Creates a new secret; false (and nothing changes) when one with this name already exists.</summary>
    public async Task<bool> AddAsync(string name, string value, CancellationToken ct = default) =>
        await WriteAsync(name, value, allowCreate: true, allowReplace: false, ct) == SecretWrite.Created;

    /// <summary>Replaces an existing secret's value; false when there is no secret with this name.</summary>
    public async Task<bool> ReplaceAsync(string name, string value, CancellationToken ct = default) =>
        await WriteAsync(name, value, allowCreate: false, allowReplace: true, ct) == SecretWrite.Replaced;

    public async Task<bool> DeleteAsync(string name, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var secret = await db.ScriptSecrets.FirstOrDefaultAsync(s => s.Name == name, ct);
        if (secret is null) return false;
        db.ScriptSecrets.Remove(secret);
        audit.Stage(db, AuditActions.Deleted, AuditEntityTypes.ScriptSecret, name, $"Deleted secret {name}");
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// All of the current organization's secrets, decrypted — for the script engine only. A value that cannot be
    /// decrypted (key ring lost, or a row copied from another organization) is left out and logged; the secrets
    /// page flags it so an admin can replace it.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> GetDecryptedAsync(CancellationToken ct = default)
    {
        var organizationId = tenant.RequireOrganizationId();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ScriptSecrets.AsNoTracking().Select(s => new { s.Name, s.ProtectedValue }).ToListAsync(ct);
        var protector = Protector(organizationId);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (TryUnprotect(protector, row.ProtectedValue, out var value)) values[row.Name] = value;
            else logger.LogError("Script secret {Name} of organization {Organization} cannot be decrypted; replace its value", row.Name, organizationId);
        }
        return values;
    }

    private enum SecretWrite { Unchanged, Created, Replaced }

    private async Task<SecretWrite> WriteAsync(string name, string value, bool allowCreate, bool allowReplace, CancellationToken ct)
    {
        if (ValidateName(name) is { } nameError) throw new ArgumentException(nameError, nameof(name));
        if (ValidateValue(value) is { } valueError) throw new ArgumentException(valueError, nameof(value));
        var organizationId = tenant.RequireOrganizationId();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var secret = await db.ScriptSecrets.FirstOrDefaultAsync(s => s.Name == name, ct);
        if (secret is null ? !allowCreate : !allowReplace) return SecretWrite.Unchanged;

        var created = secret is null;
        var now = clock.GetUtcNow().UtcDateTime;
        secret ??= db.ScriptSecrets.Add(new ScriptSecret { Name = name, ProtectedValue = "", CreatedAt = now }).Entity;
        secret.ProtectedValue = Protector(organizationId).Protect(value);
        secret.UpdatedAt = now;
        secret.UpdatedBy = tenant.UserName;
        audit.Stage(db, created ? AuditActions.Created : AuditActions.Replaced, AuditEntityTypes.ScriptSecret, name,
            created ? $"Added secret {name}" : $"Replaced the value of secret {name}");
        await db.SaveChangesAsync(ct);
        return created ? SecretWrite.Created : SecretWrite.Replaced;
    }

    private static bool TryUnprotect(IDataProtector protector, string protectedValue, out string value)
    {
        try
        {
            value = protector.Unprotect(protectedValue);
            return true;
        }
        catch (CryptographicException)
        {
            value = "";
            return false;
        }
    }

    /// <summary>The protector for one organization: a value protected for one cannot be unprotected for another.</summary>
    public static IDataProtector ProtectorFor(IDataProtectionProvider provider, int organizationId) =>
        provider.CreateProtector(ProtectorPurpose, $"org:{organizationId}");

    private IDataProtector Protector(int organizationId) => ProtectorFor(dataProtection, organizationId);
}
