using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.Tenancy;

/// <summary>
/// Looks up and creates organizations (tenants). Organizations are the tenant boundary itself, so they are not
/// tenant-filtered; only system paths (the CLI, seeding) create them, and pages show only the signed-in user's own.
/// </summary>
public sealed partial class OrganizationService(IDbContextFactory<DashboardDbContext> dbFactory)
{
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$")]
    private static partial Regex SlugPattern();

    public static string? ValidateSlug(string? slug) =>
        slug is not null && SlugPattern().IsMatch(slug)
            ? null
            : "An organization slug has 1–50 lowercase letters, digits and hyphens (not at the start or end).";

    public async Task<Organization?> FindAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
    }

    public async Task<Organization?> FindBySlugAsync(string slug, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Slug == slug, ct);
    }

    public async Task<IReadOnlyList<Organization>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Organizations.AsNoTracking().OrderBy(o => o.Slug).ToListAsync(ct);
    }

    public async Task<Organization> CreateAsync(string name, string slug, CancellationToken ct = default)
    {
        if (ValidateSlug(slug) is { } error) throw new ArgumentException(error, nameof(slug));
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("An organization needs a name.", nameof(name));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var organization = new Organization { Name = name.Trim(), Slug = slug };
        db.Organizations.Add(organization);
        await db.SaveChangesAsync(ct);
        return organization;
    }
}
