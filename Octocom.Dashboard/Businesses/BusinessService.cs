using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.Businesses;

public sealed class BusinessService(IDbContextFactory<DashboardDbContext> dbFactory)
{
    /// <summary>The current organization's businesses, by name.</summary>
    public async Task<IReadOnlyList<Business>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Businesses.AsNoTracking().OrderBy(b => b.Name).ToListAsync(ct);
    }
}
