using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Analytics.SavedViews;

public sealed record SavedViewSummary(int Id, string Name, string Query, DateTime CreatedAt);

/// <summary>The signed-in user's saved analytics views (name + URL query string). Users never see each other's views.</summary>
public sealed class SavedViewService(IDbContextFactory<DashboardDbContext> dbFactory, TenantContext tenant, TimeProvider clock)
{
    public const int MaxNameLength = 200;
    public const int MaxQueryLength = 8000;

    private string UserId => tenant.UserId ?? throw new InvalidOperationException("Saved views need a signed-in user.");

    public async Task<IReadOnlyList<SavedViewSummary>> ListAsync(CancellationToken ct = default)
    {
        var userId = UserId;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var views = await db.SavedViews.AsNoTracking()
            .Where(v => v.UserId == userId)
            .Select(v => new SavedViewSummary(v.Id, v.Name, v.Query, v.CreatedAt))
            .ToListAsync(ct);
        return views.OrderBy(v => v.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    /// <summary>Saves the view under <paramref name="name"/>, replacing the user's view of the same name.</summary>
    /// <exception cref="ArgumentException">Empty or too long name or query.</exception>
    public async Task<SavedViewSummary> SaveAsync(string name, string query, CancellationToken ct = default)
    {
        name = name.Trim();
        query = query.TrimStart('?');
        if (name.Length is 0 or > MaxNameLength) throw new ArgumentException($"A view name is 1 to {MaxNameLength} characters.");
        if (query.Length > MaxQueryLength) throw new ArgumentException($"This view's filter is longer than {MaxQueryLength:N0} characters; remove some values.");
        var userId = UserId;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var view = await db.SavedViews.FirstOrDefaultAsync(v => v.UserId == userId && v.Name == name, ct);
        if (view is null)
        {
            view = new SavedView { UserId = userId, Name = name, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.SavedViews.Add(view);
        }
        view.Query = query;
        await db.SaveChangesAsync(ct);
        return new SavedViewSummary(view.Id, view.Name, view.Query, view.CreatedAt);
    }

    /// <returns>False when the user has no view with this id (another user's view counts as missing).</returns>
    public async Task<bool> DeleteAsync(int id, CancellationToken ct = default)
    {
        var userId = UserId;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SavedViews.Where(v => v.Id == id && v.UserId == userId).ExecuteDeleteAsync(ct) > 0;
    }
}
