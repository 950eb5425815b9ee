using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Audit;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.Businesses;

public sealed record BusinessSaveResult(Business? Business, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Business is not null;
}

/// <summary>Admins create and edit their organization's businesses (name, public slug, allowed chat origins).</summary>
public sealed class BusinessSettingsService(
    IDbContextFactory<DashboardDbContext> dbFactory,
    IValidator<BusinessForm> validator,
    PublicBusinessDirectory directory,
    AuditLog audit,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<Business>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Businesses.AsNoTracking().OrderBy(b => b.Name).ToListAsync(ct);
    }

    public Task<BusinessSaveResult> CreateAsync(BusinessForm form, CancellationToken ct = default) => SaveAsync(null, form, ct);

    /// <summary>Another organization's business id behaves like a missing one.</summary>
    public Task<BusinessSaveResult> UpdateAsync(int businessId, BusinessForm form, CancellationToken ct = default) => SaveAsync(businessId, form, ct);

    private async Task<BusinessSaveResult> SaveAsync(int? businessId, BusinessForm form, CancellationToken ct)
    {
        var normalized = new BusinessForm
        {
            Name = form.Name.Trim(),
            Slug = form.Slug.Trim().ToLowerInvariant(),
            AllowedOrigins = form.AllowedOrigins ?? "",
        };
        var validation = await validator.ValidateAsync(normalized, ct);
        if (!validation.IsValid) return new BusinessSaveResult(null, validation.Errors.Select(e => e.ErrorMessage).ToList());

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        Business? business = null;
        if (businessId is { } id)
        {
            business = await db.Businesses.FirstOrDefaultAsync(b => b.Id == id, ct);
            if (business is null) return new BusinessSaveResult(null, ["That business does not exist in your organization."]);
        }
        // Slugs are unique across all organizations (the public chat API addresses businesses by slug alone), so this
        // documented system check ignores the tenant filter; it reveals only whether the slug is taken.
        var slugTaken = await db.Businesses.IgnoreQueryFilters()
            .AnyAsync(b => b.Slug == normalized.Slug && (businessId == null || b.Id != businessId), ct);
        if (slugTaken) return new BusinessSaveResult(null, [$"The slug \"{normalized.Slug}\" is already taken; choose another."]);

        var previousSlug = business?.Slug;
        var action = business is null ? AuditActions.Created : AuditActions.Updated;
        if (business is null)
        {
            business = new Business { Name = normalized.Name, Slug = normalized.Slug, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.Businesses.Add(business);
        }
        business.Name = normalized.Name;
        business.Slug = normalized.Slug;
        business.AllowedOrigins = AllowedOrigins.Format(normalized.AllowedOrigins);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another admin took the slug between the check and the save (the unique index decides).
            return new BusinessSaveResult(null, [$"The slug \"{normalized.Slug}\" is already taken; choose another."]);
        }

        audit.Stage(db, action, AuditEntityTypes.Business, business.Id.ToString(),
            $"{business.Name} ({business.Slug}); allowed origins: {(business.AllowedOrigins.Length == 0 ? "any" : business.AllowedOrigins.Replace('\n', ' '))}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        if (previousSlug is not null) directory.Invalidate(previousSlug);
        directory.Invalidate(business.Slug);
        return new BusinessSaveResult(business, []);
    }
}
