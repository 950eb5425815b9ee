using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Widgets;

/// <summary>
/// The customer's own systems, as seed 002's example widgets call them: a small JSON API on 127.0.0.1 (real Kestrel)
/// serving <c>/customers</c>, <c>/wholesale/accounts</c>, <c>/warranties</c> and <c>/subscriptions</c> for any
/// <c>?email=</c>. A test fixture only — the widgets calling it and the engine running them are real.
/// </summary>
public sealed class FakeCustomerApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _hits;

    private FakeCustomerApi(WebApplication app, string baseUrl, ConcurrentDictionary<string, int> hits)
    {
        _app = app;
        BaseUrl = baseUrl;
        _hits = hits;
    }

    /// <summary>e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string BaseUrl { get; }

    /// <summary>Requests served on <paramref name="path"/> (e.g. "/customers") so far.</summary>
    public int Hits(string path) => _hits.GetValueOrDefault(path);

    /// <param name="delays">Per path, how long the API takes to answer (a slow customer system).</param>
    /// <param name="wholesaleWithoutCompany">The wholesale account lacks companyName, so the seed's widget raises KeyError.</param>
    public static async Task<FakeCustomerApi> StartAsync(IReadOnlyDictionary<string, TimeSpan>? delays = null, bool wholesaleWithoutCompany = false)
    {
        var app = LoopbackServer.CreateBuilder().Build();
        var hits = new ConcurrentDictionary<string, int>();
        app.Use(async (context, next) =>
        {
            hits.AddOrUpdate(context.Request.Path.Value ?? "", 1, (_, n) => n + 1);
            if (delays?.GetValueOrDefault(context.Request.Path.Value ?? "") is { } delay && delay > TimeSpan.Zero)
                await Task.Delay(delay, context.RequestAborted);
            await next(context);
        });

        app.MapGet("/customers", (string email) => Results.Json(new
        {
            id = "ACC-1042", name = NameOf(email), email, tier = "Premium", ltv = 1234.5, createdAt = "2021-03-14",
        }));
        app.MapGet("/wholesale/accounts", (string email) => wholesaleWithoutCompany
            ? Results.Json(new { id = "W-77", status = "Active", pricingTier = "Gold" })
            : Results.Json(new
            {
                id = "W-77", companyName = "Trailhead Outfitters LLC", status = "Active", pricingTier = "Gold", creditLimit = 50000,
                balance = 1280.4, paymentTerms = "Net 30", accountManager = "Sam Rivera",
            }));
        app.MapGet("/warranties", (string email) => Results.Json(new object[]
        {
            new { productName = "Summit 2 Tent", purchaseDate = "2025-06-02", isActive = true, warrantyType = "Extended", expiresAt = "2028-06-02", serialNumber = "ST2-88121" },
            new { productName = "Trail Runner GTX", purchaseDate = "2023-01-15", isActive = false, warrantyType = "Standard", expiresAt = "2024-01-15" },
        }));
        app.MapGet("/subscriptions", (string email) => Results.Json(new object[]
        {
            new
            {
                planName = "Pro", status = "active", price = 49, nextBillingDate = "2026-12-01", startDate = "2025-12-01",
                usage = new { apiCalls = 8123, limit = 10000, storage = "12.4 GB" },
            },
        }));

        return new FakeCustomerApi(app, await LoopbackServer.StartAsync(app), hits);
    }

    private static string NameOf(string email)
    {
        var local = email.Split('@')[0].Replace('.', ' ').Replace('_', ' ');
        return string.Join(' ', local.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
