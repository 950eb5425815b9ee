using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Octocom.Dashboard.ChatApi;

/// <summary>
/// ASP.NET's rate limiter for the chat API only (its own <see cref="RateLimiterOptions"/>, so other features' limits
/// stay independent): a fixed window per client IP for every call, chained with one per conversation token.
/// Rejections are 429 problems with Retry-After. Behind a reverse proxy, enable forwarded headers so the IP is the
/// visitor's.
/// </summary>
public static class ChatRateLimits
{
    public static RateLimiterOptions Create(ChatApiOptions options)
    {
        var perIp = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = options.PerIpPermitLimit, Window = options.PerIpWindow, QueueLimit = 0 }));
        var perToken = PartitionedRateLimiter.Create<HttpContext, string>(context => ChatEndpoints.BearerToken(context) is { } token
            ? RateLimitPartition.GetFixedWindowLimiter(token,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.PerTokenPermitLimit, Window = options.PerTokenWindow, QueueLimit = 0 })
            : RateLimitPartition.GetNoLimiter(""));

        return new RateLimiterOptions
        {
            GlobalLimiter = PartitionedRateLimiter.CreateChained(perIp, perToken),
            RejectionStatusCode = StatusCodes.Status429TooManyRequests,
            OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.PerTokenWindow;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ChatProblems.Problem(StatusCodes.Status429TooManyRequests, ChatProblems.RateLimited, "Too many requests",
                        $"The chat API allows {options.PerTokenPermitLimit} requests per conversation every {options.PerTokenWindow.TotalSeconds:0} s " +
                        $"and {options.PerIpPermitLimit} per IP address every {options.PerIpWindow.TotalSeconds:0} s. Retry after {seconds} s.")
                    .ExecuteAsync(context.HttpContext);
            },
        };
    }
}
