using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Analytics.Querying;
using Octocom.Dashboard.Analytics.Segments;

namespace Octocom.Dashboard.Analytics.Api;

/// <summary>
/// The analytics JSON and CSV API. Cookie-authenticated (the dashboard's sign-in), managers and admins only, scoped to
/// the signed-in user's organization by the DbContext's tenant filters. GET endpoints read the same query string as
/// the <c>/analytics</c> page (see <see cref="AnalyticsQueryString"/>), so any view's URL works against the API.
/// </summary>
public static class AnalyticsEndpoints
{
    private static readonly string UrlFormat =
        "Filter in the /analytics page's URL format: c0.key, c0.op, c0.v (repeat c0.v for OR), c1.… for more conditions (AND); " +
        "business, status, channel, tag (repeatable); from, to (YYYY-MM-DD, created date, UTC, inclusive); segment, buckets=1; " +
        $"sort ({string.Join("|", AnalyticsSort.ColumnNames)}, '-' for descending); page (from 0), size. Operators: " +
        "eq, neq, contains, starts_with, exists, not_exists, lt, lte, gt, gte, between, date_before, date_after, date_between. See docs/analytics.md.";

    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/analytics")
            .RequireAuthorization(Policies.ViewAnalytics)
            .WithTags("Analytics")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapPost("/query", (AnalyticsQuery query, IValidator<AnalyticsQuery> validator, AnalyticsService analytics, CancellationToken ct) =>
                RunQueryAsync(query, [], validator, analytics, ct))
            .WithName("AnalyticsQuery")
            .WithSummary("Count, one page of matching conversations, and segments")
            .WithDescription("Metadata conditions are AND-ed; values within a condition are OR-ed. 'neq' and 'not_exists' match " +
                             "conversations that do not have the key. Set 'segment' to a metadata key for the segment table " +
                             "(and 'buckets': true for numeric ranges).");

        api.MapGet("/query", (HttpRequest request, IValidator<AnalyticsQuery> validator, AnalyticsService analytics, CancellationToken ct) =>
            {
                var parsed = AnalyticsQueryString.Parse(request.QueryString.Value);
                return RunQueryAsync(parsed.Query, parsed.Errors, validator, analytics, ct);
            })
            .WithName("AnalyticsQueryFromUrl")
            .WithSummary("The same as POST /api/analytics/query, with the filter in the URL")
            .WithDescription(UrlFormat);

        api.MapGet("/conversations.csv", async Task<IResult> (HttpRequest request, IValidator<AnalyticsQuery> validator, AnalyticsService analytics,
                CancellationToken ct) =>
            {
                var parsed = AnalyticsQueryString.Parse(request.QueryString.Value);
                if (await ValidateAsync(parsed.Query, parsed.Errors, validator, ct) is { } problem) return problem;
                var baseUrl = $"{request.Scheme}://{request.Host}{request.PathBase}";
                return Results.Stream(body => CsvExport.WriteConversationsAsync(body, analytics.StreamAsync(parsed.Query, ct),
                        AnalyticsService.ColumnKeys(parsed.Query), baseUrl, ct),
                    CsvExport.ContentType, CsvExport.FileName("conversations"));
            })
            .WithName("AnalyticsConversationsCsv")
            .WithSummary("Every matching conversation as CSV, streamed (no paging)")
            .WithDescription(UrlFormat)
            .Produces(StatusCodes.Status200OK, contentType: CsvExport.ContentType)
            .ProducesValidationProblem();

        api.MapGet("/segments.csv", async Task<IResult> (HttpRequest request, IValidator<AnalyticsQuery> validator, AnalyticsService analytics,
                CancellationToken ct) =>
            {
                var parsed = AnalyticsQueryString.Parse(request.QueryString.Value);
                var errors = string.IsNullOrWhiteSpace(parsed.Query.Segment) ? parsed.Errors.Append("Set 'segment' to the metadata key to segment by.").ToList() : parsed.Errors;
                if (await ValidateAsync(parsed.Query, errors, validator, ct) is { } problem) return problem;
                var table = await analytics.SegmentAsync(parsed.Query.Filter, parsed.Query.Segment!, parsed.Query.Buckets, ct);
                return Results.Stream(body => CsvExport.WriteSegmentsAsync(body, table, ct), CsvExport.ContentType, CsvExport.FileName("segments"));
            })
            .WithName("AnalyticsSegmentsCsv")
            .WithSummary("The segment table of the matching conversations as CSV")
            .WithDescription(UrlFormat)
            .Produces(StatusCodes.Status200OK, contentType: CsvExport.ContentType)
            .ProducesValidationProblem();

        api.MapGet("/keys", async (AnalyticsService analytics, CancellationToken ct) => TypedResults.Ok(await analytics.KeysAsync(ct)))
            .WithName("AnalyticsKeys")
            .WithSummary("Metadata keys in use, with how many conversations have each (and how many of those values are numbers)");

        api.MapGet("/values", async Task<Results<Ok<IReadOnlyList<string>>, ValidationProblem>> (string key, string? prefix, int? limit,
                AnalyticsService analytics, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(key) || key.Length > Metadata.MetadataLimits.MaxKeyLength)
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["key"] = ["Give the metadata key (1 to 200 characters)."] });
                return TypedResults.Ok(await analytics.ValuesAsync(key, prefix, limit ?? 20, ct));
            })
            .WithName("AnalyticsValues")
            .WithSummary("Distinct values of a key that start with a prefix, in order (autocomplete)");

        return app;
    }

    private static async Task<Results<Ok<AnalyticsResult>, ValidationProblem>> RunQueryAsync(AnalyticsQuery query, IReadOnlyList<string> parseErrors,
        IValidator<AnalyticsQuery> validator, AnalyticsService analytics, CancellationToken ct)
    {
        if (await ValidateAsync(query, parseErrors, validator, ct) is { } problem) return problem;
        return TypedResults.Ok(await analytics.QueryAsync(query, ct));
    }

    private static async Task<ValidationProblem?> ValidateAsync(AnalyticsQuery query, IReadOnlyList<string> parseErrors,
        IValidator<AnalyticsQuery> validator, CancellationToken ct)
    {
        var result = await validator.ValidateAsync(query, ct);
        if (result.IsValid && parseErrors.Count == 0) return null;
        var errors = result.Errors
            .GroupBy(e => e.PropertyName)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        if (parseErrors.Count > 0) errors["query"] = [.. parseErrors];
        return TypedResults.ValidationProblem(errors, title: "The analytics filter is not valid.");
    }
}
