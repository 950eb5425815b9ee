using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.Businesses;

/// <summary>What the public chat API needs to know about a business before any tenant is known.</summary>
public sealed record PublicBusiness(int Id, int OrganizationId, string Slug, string Name, IReadOnlyList<string> AllowedOrigins)
{
    /// <summary>An empty list allows every origin.</summary>
    public bool AllowsAnyOrigin => AllowedOrigins.Count == 0;
}

public sealed class PublicBusinessDirectoryOptions
{
    /// <summary>How long a slug lookup is cached. Edits on this instance invalidate at once; other instances catch up after this.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Resolves a business by its public slug for anonymous callers (the chat widget). This is one of the documented
/// system lookups that bypass the tenant filter: the slug is globally unique and the caller has no tenant yet, so
/// the lookup uses <c>IgnoreQueryFilters()</c> and returns only the business's public facts (never tenant data);
/// callers then act inside <c>TenantScopes.Create(business.OrganizationId)</c>. Results are cached briefly because
/// every chat request needs them.
/// </summary>
public sealed class PublicBusinessDirectory(IServiceScopeFactory scopeFactory, TimeProvider clock,
    IOptions<PublicBusinessDirectoryOptions> options)
{
    private readonly ConcurrentDictionary<string, (PublicBusiness? Business, DateTime ExpiresAt)> _cache = new(StringComparer.Ordinal);

    public async ValueTask<PublicBusiness?> FindAsync(string? slug, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(slug) || slug.Length > 100) return null;
        var key = slug.Trim().ToLowerInvariant();
        var now = clock.GetUtcNow().UtcDateTime;
        if (_cache.TryGetValue(key, out var cached) && cached.ExpiresAt > now) return cached.Business;

        await using var scope = scopeFactory.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<DashboardDbContext>>().CreateDbContextAsync(ct);
        // System lookup before the tenant is known (see the class comment): public facts of one business by slug.
        var row = await db.Businesses.IgnoreQueryFilters().AsNoTracking()
            .Where(b => b.Slug == key)
            .Select(b => new { b.Id, b.OrganizationId, b.Slug, b.Name, b.AllowedOrigins })
            .FirstOrDefaultAsync(ct);
        var business = row is null ? null
            : new PublicBusiness(row.Id, row.OrganizationId, row.Slug, row.Name, Businesses.AllowedOrigins.Parse(row.AllowedOrigins));
        if (_cache.Count > 10_000) _cache.Clear(); // unknown slugs must not grow the cache without bound
        _cache[key] = (business, now + options.Value.CacheDuration);
        return business;
    }

    /// <summary>Forget a slug after its business was created or edited on this instance.</summary>
    public void Invalidate(string slug) => _cache.TryRemove(slug.Trim().ToLowerInvariant(), out _);
}
