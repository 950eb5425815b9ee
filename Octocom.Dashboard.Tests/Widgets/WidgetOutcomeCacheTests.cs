using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Widgets;

namespace Octocom.Dashboard.Tests.Widgets;

/// <summary>The outcome cache on the real HybridCache, with counted runs instead of the engine.</summary>
public sealed class WidgetOutcomeCacheTests : IDisposable
{
    private static readonly SidebarWidget Crm = new(7, "CRM", 3, "code");
    private static readonly Guid Conversation = Guid.NewGuid();

    private readonly ServiceProvider _services;
    private int _runs;

    public WidgetOutcomeCacheTests()
    {
        var services = new ServiceCollection();
        services.AddHybridCache();
        _services = services.BuildServiceProvider();
    }

    public void Dispose() => _services.Dispose();

    private WidgetOutcomeCache Cache(TimeSpan duration) =>
        new(_services.GetRequiredService<HybridCache>(), new FixedOptions(new WidgetsOptions { CacheDuration = duration }));

    private Func<CancellationToken, Task<WidgetRunOutcome>> Run(ScriptRunStatus status = ScriptRunStatus.Ok, Task? gate = null) => async _ =>
    {
        var run = Interlocked.Increment(ref _runs);
        if (gate is not null) await gate;
        return new WidgetRunOutcome { Status = status, RunId = run };
    };

    [Fact]
    public async Task GetOrRunAsync_DurationZero_RunsEveryTime()
    {
        var cache = Cache(TimeSpan.Zero);

        var first = await cache.GetOrRunAsync(1, Conversation, Crm, refresh: false, Run(), default);
        var second = await cache.GetOrRunAsync(1, Conversation, Crm, refresh: false, Run(), default);

        Assert.False(cache.Enabled);
        Assert.Equal((1L, 2L), (first.RunId, second.RunId));
    }

    [Fact]
    public async Task GetOrRunAsync_SameKeyWithinDuration_RunsOnce()
    {
        var cache = Cache(TimeSpan.FromMinutes(5));

        var first = await cache.GetOrRunAsync(1, Conversation, Crm, refresh: false, Run(), default);
        var second = await cache.GetOrRunAsync(1, Conversation, Crm, refresh: false, Run(), default);

        Assert.Same(first, second);
        Assert.Equal(1, _runs);
    }

    [Fact]
    public async Task GetOrRunAsync_TwoCallersAtOnce_ShareOneRun()
    {
        var cache = Cache(TimeSpan.FromMinutes(5));
        var gate = new TaskCompletionSource();

        var first = cache.GetOrRunAsync(1, Conversation, Crm, refresh: false, Run(gate: gate.Task), default);
        var second = cache.GetOrRunAsync(1, Conversation, Crm, refresh: false, Run(gate: gate.Task), default);
        gate.SetResult();

        Assert.Same(await first, await second);
        Assert.Equal(1, _runs);
    }

    [Fact]
    public async Task GetOrRunAsync_OtherOrganizationConversationOrVersion_RunsSeparately()
    {
        var cache = Cache(TimeSpan.FromMinutes(5));

        await cache.GetOrRunAsync(1, Conversation, Crm, refresh: false, Run(), default);
        await cache.GetOrRunAsync(2, Conversation, Crm, refresh: false, Run(), default);
        await cache.GetOrRunAsync(1, Guid.NewGuid(), Crm, refresh: false, Run(), default);
        await cache.GetOrRunAsync(1, Conversation, Crm with { Version = 4 }, refresh: false, Run(), default);

        Assert.Equal(4, _runs);
    }

    [Fact]
    public async Task GetOrRunAsync_Refresh_RunsAndReplacesTheEntry()
    {
        var cache = Cache(TimeSpan.FromMinutes(5));

        await cache.GetOrRunAsync(1, Conversation, Crm, refresh: false, Run(), default);
        var refreshed = await cache.GetOrRunAsync(1, Conversation, Crm, refresh: true, Run(), default);
        var next = await cache.GetOrRunAsync(1, Conversation, Crm, refresh: false, Run(), default);

        Assert.Equal(2, _runs);
        Assert.Same(refreshed, next);
    }

    [Fact]
    public async Task GetOrRunAsync_CancelledOutcome_IsReturnedButNotStored()
    {
        var cache = Cache(TimeSpan.FromMinutes(5));

        var cancelled = await cache.GetOrRunAsync(1, Conversation, Crm, refresh: false, Run(ScriptRunStatus.Cancelled), default);
        var next = await cache.GetOrRunAsync(1, Conversation, Crm, refresh: false, Run(), default);

        Assert.Equal(ScriptRunStatus.Cancelled, cancelled.Status);
        Assert.Equal(ScriptRunStatus.Ok, next.Status);
        Assert.Equal(2, _runs);
    }

    [Fact]
    public async Task GetOrRunAsync_FailedOutcome_IsCachedLikeAnyOther()
    {
        var cache = Cache(TimeSpan.FromMinutes(5));

        var failed = await cache.GetOrRunAsync(1, Conversation, Crm, refresh: false, Run(ScriptRunStatus.Error), default);
        var again = await cache.GetOrRunAsync(1, Conversation, Crm, refresh: false, Run(), default);

        Assert.Same(failed, again);
        Assert.Equal(1, _runs);
    }

    private sealed class FixedOptions(WidgetsOptions value) : IOptionsMonitor<WidgetsOptions>
    {
        public WidgetsOptions CurrentValue => value;
        public WidgetsOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<WidgetsOptions, string?> listener) => null;
    }
}
