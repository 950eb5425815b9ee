using FluentValidation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Analytics.Segments;
using Octocom.Dashboard.Businesses;

namespace Octocom.Dashboard.Analytics.Pages;

/// <summary>
/// /analytics — the URL is the view's only state: every change (filter, segment, sort, page) navigates to a new URL,
/// and the page renders whatever the URL says, so a view can be bookmarked, shared and saved.
/// </summary>
public partial class AnalyticsPage
{
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private AnalyticsService Analytics { get; set; } = default!;
    [Inject] private BusinessService Businesses { get; set; } = default!;
    [Inject] private IValidator<AnalyticsQuery> Validator { get; set; } = default!;

    private AnalyticsQuery _query = new();
    private string _queryString = "";
    private AnalyticsResult? _result;
    private IReadOnlyList<MetadataKeyCount> _keys = [];
    private IReadOnlyList<Business> _businesses = [];
    private List<string> _errors = [];
    private bool _loading;
    private CancellationTokenSource? _loadCancellation;

    protected override async Task OnInitializedAsync()
    {
        // Prerendering would run the (possibly heavy) query once more only to throw the result away.
        if (!RendererInfo.IsInteractive)
        {
            _loading = true;
            return;
        }
        Navigation.LocationChanged += OnLocationChanged;
        _businesses = await Businesses.ListAsync();
        _keys = await Analytics.KeysAsync();
        await LoadFromUrlAsync();
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        if (new Uri(e.Location).AbsolutePath.TrimEnd('/') == "/analytics")
            _ = InvokeAsync(async () =>
            {
                await LoadFromUrlAsync();
                StateHasChanged();
            });
    }

    private async Task LoadFromUrlAsync()
    {
        var uri = new Uri(Navigation.Uri);
        var parsed = AnalyticsQueryString.Parse(uri.Query);
        _query = parsed.Query;
        _queryString = uri.Query.TrimStart('?');
        var validation = await Validator.ValidateAsync(_query);
        _errors = [.. parsed.Errors, .. validation.Errors.Select(e => e.ErrorMessage)];
        if (_errors.Count > 0)
        {
            _result = null;
            return;
        }

        _loadCancellation?.Cancel();
        _loadCancellation = new CancellationTokenSource();
        var ct = _loadCancellation.Token;
        _loading = true;
        try
        {
            _result = await Analytics.QueryAsync(_query, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // A newer navigation superseded this load.
        }
        finally
        {
            _loading = false;
        }
    }

    private void Navigate(AnalyticsQuery query)
    {
        var queryString = AnalyticsQueryString.Encode(query);
        Navigation.NavigateTo(queryString.Length == 0 ? "/analytics" : $"/analytics?{queryString}");
    }

    private string ExportUrl(string what) => $"/api/analytics/{what}.csv{(_queryString.Length == 0 ? "" : "?" + _queryString)}";

    private Task<IReadOnlyList<string>> SuggestValuesAsync(string key, string? prefix, CancellationToken ct) =>
        Analytics.ValuesAsync(key, prefix, 20, ct);

    /// <summary>Navigates to the current view with one change applied (the URL then drives the reload).</summary>
    private Task Change(Action<AnalyticsQuery> edit)
    {
        var next = _query.Clone();
        edit(next);
        Navigate(next);
        return Task.CompletedTask;
    }

    private Task ApplyFilterAsync(AnalyticsFilter filter) => Change(q => (q.Filter, q.Page) = (filter, 0));

    private Task SegmentChangedAsync((string? Key, bool Buckets) segment) =>
        Change(q => (q.Segment, q.Buckets) = (segment.Key, segment.Key is not null && segment.Buckets));

    /// <summary>Clicking a segment's value adds "key equals value" to the filter.</summary>
    private Task DrillDownAsync(SegmentRow row) => row.Value is null || _query.Segment is not { } key
        ? Task.CompletedTask
        : Change(q =>
        {
            q.Filter.Conditions.Add(new MetadataCondition { Key = key, Operator = "eq", Values = [row.Value] });
            q.Page = 0;
        });

    private Task SortChangedAsync(string sort) => Change(q => (q.Sort, q.Page) = (sort, 0));

    private Task PageChangedAsync(int page) => Change(q => q.Page = page);

    private Task PageSizeChangedAsync(int size) => Change(q => (q.PageSize, q.Page) = (size, 0));

    public void Dispose()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        _loadCancellation?.Cancel();
        _loadCancellation?.Dispose();
    }
}
