using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;
using Octocom.Dashboard.Businesses;

namespace Octocom.Dashboard.ChatApi;

/// <summary>
/// Runs for <c>/api/chat/…</c> before the rate limiter and the endpoint:
/// <list type="bullet">
/// <item>resolves the business from the path's slug (once per request);</item>
/// <item>CORS per business with ASP.NET's <see cref="ICorsService"/>: <see cref="Business.AllowedOrigins"/> (empty = any
/// origin). Preflights are answered here. A request from an origin that is not allowed is refused with 403 — not only
/// left without CORS headers — because a browser still delivers "simple" cross-origin requests. The dashboard's own
/// origin (the playground) and requests without an Origin header (servers, curl) are not cross-origin requests;</item>
/// <item>keeps every error a JSON problem: the dashboard's HTML status pages are switched off for the chat API, bodiless
/// 4xx (routing 405, Kestrel 400) get a problem body, and an unexpected exception becomes a 500 problem.</item>
/// </list>
/// </summary>
public sealed class ChatApiMiddleware(RequestDelegate next, PublicBusinessDirectory directory, ICorsService cors,
    ILogger<ChatApiMiddleware> logger)
{
    private static readonly ConditionalWeakTable<PublicBusiness, CorsPolicy> Policies = new();
    private static readonly CorsPolicy AnyOrigin = BuildPolicy(null);

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages) statusPages.Enabled = false;
        try
        {
            var slug = SlugFrom(context.Request.Path);
            var business = slug is null ? null : await directory.FindAsync(slug, context.RequestAborted);
            if (business is not null) context.Items[typeof(PublicBusiness)] = business;

            if (!await HandleCorsAsync(context, business)) return;
            await next(context);
            if (!context.Response.HasStarted && context.Response.StatusCode >= 400 && context.Response.ContentLength is null or 0)
                await ChatProblems.ForStatus(context.Response.StatusCode).ExecuteAsync(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (e.g. a long poll of a closed tab).
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            logger.LogError(ex, "Chat API request {Method} {Path} failed", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await ChatProblems.ForStatus(StatusCodes.Status500InternalServerError).ExecuteAsync(context);
        }
    }

    /// <summary>Applies CORS headers; false when the response is complete (a preflight, or a refused origin).</summary>
    private async Task<bool> HandleCorsAsync(HttpContext context, PublicBusiness? business)
    {
        var request = context.Request;
        var isPreflight = HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey("Access-Control-Request-Method");
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || IsSameOrigin(request, origin))
        {
            if (!isPreflight) return true;
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return false;
        }

        // An unknown business has nothing to protect: any origin may read its 404 problem.
        var policy = business is null ? AnyOrigin : Policies.GetValue(business, BuildPolicy);
        var result = cors.EvaluatePolicy(context, policy);
        cors.ApplyResult(result, context.Response);
        if (!result.IsOriginAllowed)
        {
            await ChatProblems.Problem(StatusCodes.Status403Forbidden, ChatProblems.OriginNotAllowed, "Origin not allowed",
                    $"The business \"{business!.Slug}\" accepts chat requests only from its allowed origins; \"{ChatProblems.Shorten(origin)}\" is not one of them. An admin can add it on the Businesses settings page.")
                .ExecuteAsync(context);
            return false;
        }
        if (!isPreflight) return true;
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return false;
    }

    private static CorsPolicy BuildPolicy(PublicBusiness? business)
    {
        var builder = new CorsPolicyBuilder();
        if (business is null || business.AllowsAnyOrigin) builder.AllowAnyOrigin();
        else builder.WithOrigins([.. business.AllowedOrigins]);
        return builder.WithMethods("GET", "POST").WithHeaders("Content-Type", "Authorization")
            .WithExposedHeaders("Retry-After", "Location").SetPreflightMaxAge(TimeSpan.FromMinutes(10)).Build();
    }

    private static bool IsSameOrigin(HttpRequest request, string origin) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);

    /// <summary>"/api/chat/{slug}/…" → slug.</summary>
    public static string? SlugFrom(PathString path)
    {
        var rest = path.Value.AsSpan();
        if (!path.StartsWithSegments(ChatEndpoints.RoutePrefix, StringComparison.OrdinalIgnoreCase)) return null;
        rest = rest[ChatEndpoints.RoutePrefix.Length..].TrimStart('/');
        var end = rest.IndexOf('/');
        var slug = (end < 0 ? rest : rest[..end]).ToString();
        return slug.Length == 0 ? null : Uri.UnescapeDataString(slug);
    }
}
