using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Conversations.Inbox;
using Octocom.Dashboard.Conversations.Inbox.Components;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Conversations.Pages;

/// <summary>
/// The team inbox. The URL holds the view and filters; the page loads one page of rows and then keeps it live: it
/// subscribes to its organization's conversation changes, batches bursts (<see cref="ChangeBatcher"/>) and re-reads
/// only the changed rows (<see cref="InboxService.RowsAsync"/>) — new conversations and new messages move to the top,
/// rows that left the view (taken, closed) disappear — plus the view counts for the tabs and the tab title.
/// </summary>
public partial class Inbox
{
    public const int PageSize = 25;

    [SupplyParameterFromQuery(Name = "q")] public string? Q { get; set; }
    [SupplyParameterFromQuery(Name = "business")] public string? Business { get; set; }
    /// <summary>open, handed_off, closed or any; absent = open and handed off.</summary>
    [SupplyParameterFromQuery(Name = "status")] public string? Status { get; set; }
    [SupplyParameterFromQuery(Name = "channel")] public string? Channel { get; set; }
    /// <summary>inbox (mine + unassigned, the default), mine, unassigned or all.</summary>
    [SupplyParameterFromQuery(Name = "view")] public string? ViewKey { get; set; }
    /// <summary>activity (default), waiting or created.</summary>
    [SupplyParameterFromQuery(Name = "sort")] public string? Sort { get; set; }

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;
    [Inject] private InboxService InboxQueries { get; set; } = default!;
    [Inject] private BusinessService Businesses { get; set; } = default!;
    [Inject] private IConversationNotifier Notifier { get; set; } = default!;
    [Inject] private TenantContext Tenant { get; set; } = default!;
    [Inject] private IAuthorizationService Authorization { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private IReadOnlyList<Business> _businesses = [];
    private List<InboxRow> _rows = [];
    private HashSet<Guid> _selected = [];
    private InboxCounts _counts = InboxCounts.Empty;
    private InboxFilter _filter = new();
    private int _total;
    private int _page;
    private string? _notice;
    private bool _canWork;
    private IDisposable? _subscription;
    private ChangeBatcher? _batcher;

    private bool Searching => !string.IsNullOrWhiteSpace(Q);

    /// <summary>A search from the default view looks through every conversation (any owner, any status) unless narrowed.</summary>
    private InboxView View => Searching && string.IsNullOrEmpty(ViewKey) ? InboxView.All : InboxViewTabs.Parse(ViewKey);

    private string Title
    {
        get
        {
            var unread = _counts.For(View).Unread;
            return unread > 0 ? $"({unread}) Inbox · Octocom" : "Inbox · Octocom";
        }
    }

    protected override async Task OnInitializedAsync()
    {
        _canWork = (await Authorization.AuthorizeAsync((await AuthenticationState).User, Policies.WorkConversations)).Succeeded;
        _businesses = await Businesses.ListAsync();
        if (Tenant.OrganizationId is { } org)
        {
            _batcher = new ChangeBatcher(batch => InvokeAsync(() => ApplyChangesAsync(batch)));
            _subscription = Notifier.SubscribeOrganization(org, _batcher.AddAsync);
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        _filter = new InboxFilter(
            int.TryParse(Business, out var businessId) ? businessId : null,
            ConversationStatusNames.Parse(Status),
            string.IsNullOrEmpty(Channel) ? null : Channel,
            Q,
            View,
            ActiveOnly: !Searching && (Status is null or "" || (Status != "any" && ConversationStatusNames.Parse(Status) is null)),
            Sort: InboxFilters.ParseSort(Sort));
        _page = 0;
        _selected = [];
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var page = await InboxQueries.SearchAsync(_filter, _page, PageSize);
        _rows = page.Rows.ToList();
        _total = page.Total;
        _notice = page.Notice;
        _counts = await InboxQueries.CountsAsync();
    }

    private async Task GoToPageAsync(int page)
    {
        _page = Math.Max(0, page - 1);
        await LoadAsync();
    }

    /// <summary>One batch of changes: re-read the changed rows only, then place them where the sort puts them.</summary>
    private async Task ApplyChangesAsync(IReadOnlyCollection<ConversationChange> batch)
    {
        var changed = batch.Select(c => c.ConversationId).ToHashSet();
        var searching = !string.IsNullOrWhiteSpace(_filter.Search);
        // While searching, only rows already shown are refreshed (a new message does not make a row match).
        var candidates = searching ? changed.Where(id => _rows.Any(r => r.Id == id)).ToList() : changed.ToList();
        var fresh = (await InboxQueries.RowsAsync(_filter, candidates)).ToDictionary(r => r.Id);

        var removed = _rows.RemoveAll(r => changed.Contains(r.Id) && !fresh.ContainsKey(r.Id));
        var added = 0;
        foreach (var row in fresh.Values)
        {
            var index = _rows.FindIndex(r => r.Id == row.Id);
            if (index >= 0) _rows[index] = row with { Snippet = _rows[index].Snippet };
            else if (_page == 0 && !searching) { _rows.Add(row); added++; }
        }
        if (!searching) _rows.Sort(InboxFilters.Comparer(_filter.Sort));
        if (_rows.Count > PageSize) _rows.RemoveRange(PageSize, _rows.Count - PageSize);
        _total = Math.Max(0, _total + added - removed);
        _selected.IntersectWith(_rows.Select(r => r.Id));
        _counts = await InboxQueries.CountsAsync();
        StateHasChanged();
    }

    private void Navigate(InboxFilterChange change) => Navigation.NavigateTo(Link(change.Search, change.Business, change.Status, change.Channel, sort: change.Sort));

    private string Link(string? q = null, string? business = null, string? status = null, string? channel = null, string? view = null, string? sort = null) =>
        Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["q"] = NullIfEmpty(q ?? Q),
            ["business"] = NullIfEmpty(business ?? Business),
            ["status"] = NullIfEmpty(status ?? Status),
            ["channel"] = NullIfEmpty(channel ?? Channel),
            ["view"] = (view ?? ViewKey) is { } v && v != "inbox" ? v : null,
            ["sort"] = (sort ?? Sort) is { } s && s != "activity" ? s : null,
        });

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private void ClearSelection() => _selected = [];

    private void Open(InboxRow row) => Navigation.NavigateTo($"/conversations/{row.PublicId}");

    public void Dispose()
    {
        _subscription?.Dispose();
        _batcher?.Dispose();
    }
}
