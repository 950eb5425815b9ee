using Bunit;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using Octocom.Dashboard.Analytics;
using Octocom.Dashboard.Analytics.Components;
using Octocom.Dashboard.Analytics.Filtering;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Analytics.Components;

public sealed class FilterBuilderTests : BunitTestContext
{
    private static readonly MetadataKeyCount[] Keys =
    [
        new("chat-widget:plan", 120, 0), new("chat-widget:cart_value", 80, 78), new("chat-widget:utm_source", 60, 0),
    ];

    private readonly List<AnalyticsFilter> _applied = [];

    public FilterBuilderTests()
    {
        Services.AddSingleton<IValidator<AnalyticsQuery>>(new AnalyticsQueryValidator(Options.Create(new AnalyticsOptions())));
    }

    private IRenderedComponent<FilterBuilder> RenderBuilder(AnalyticsFilter? filter = null) =>
        Render<FilterBuilder>(p => p
            .Add(x => x.Filter, filter ?? new AnalyticsFilter())
            .Add(x => x.Keys, Keys)
            .Add(x => x.Businesses, [new Business { Id = 1, Name = "Trailhead", Slug = "trailhead" }])
            .Add(x => x.SuggestValues, (key, _, _) => Task.FromResult<IReadOnlyList<string>>(key == "chat-widget:plan" ? ["enterprise", "pro"] : []))
            .Add(x => x.OnApply, f => _applied.Add(f)));

    private static Task SetKeyAsync(IRenderedComponent<FilterBuilder> cut, int row, string key)
    {
        var autocomplete = cut.FindComponents<MudAutocomplete<string>>()[row];
        return cut.InvokeAsync(() => autocomplete.Instance.ValueChanged.InvokeAsync(key));
    }

    private static Task SetOperatorAsync(IRenderedComponent<FilterBuilder> cut, int row, string op)
    {
        var select = cut.FindComponents<MudSelect<string>>().Where(s => s.Instance.Label == "Operator").ElementAt(row);
        return cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(op));
    }

    [Fact]
    public void Render_ExistingFilter_ShowsEachConditionAndItsValues()
    {
        var cut = RenderBuilder(new AnalyticsFilter
        {
            Conditions =
            [
                new() { Key = "chat-widget:plan", Operator = "eq", Values = ["enterprise", "pro"] },
                new() { Key = "chat-widget:cart_value", Operator = "between", Values = ["10", "100"] },
            ],
        });

        Assert.Equal(2, cut.FindAll("[data-testid=condition-row]").Count);
        Assert.Equal(["enterprise", "pro"], cut.FindAll("[data-testid=condition-value]").Select(c => c.TextContent.Trim()));
        Assert.Equal("10", cut.Find("input[data-testid=condition-bound-0]").GetAttribute("value"));
        Assert.Equal("100", cut.Find("input[data-testid=condition-bound-1]").GetAttribute("value"));
    }

    [Fact]
    public async Task Apply_TwoConditionsBuiltInTheUi_HandsOverTheFilter()
    {
        var cut = RenderBuilder();
        cut.Find("[data-testid=add-condition]").Click();
        await SetKeyAsync(cut, 0, "chat-widget:plan");
        cut.Find("input[data-testid=condition-value-input]").Input("enterprise");
        cut.Find("input[data-testid=condition-value-input]").KeyUp("Enter");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=condition-value]")));
        cut.FindAll("[data-testid=value-suggestion]").Single(s => s.TextContent.Trim() == "pro").Click();

        cut.Find("[data-testid=add-condition]").Click();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=condition-row]").Count));
        Assert.Equal(["enterprise", "pro"], cut.FindAll("[data-testid=condition-value]").Select(c => c.TextContent.Trim()));
        await SetKeyAsync(cut, 1, "chat-widget:cart_value");
        await SetOperatorAsync(cut, 1, "gt");
        cut.Find("input[data-testid=condition-bound-0]").Input("100");
        Assert.NotNull(cut.Find("[data-testid=filter-dirty]"));
        cut.Find("[data-testid=apply-filter]").Click();

        var filter = Assert.Single(_applied);
        Assert.Equal("c0.key=chat-widget%3Aplan&c0.op=eq&c0.v=enterprise&c0.v=pro&c1.key=chat-widget%3Acart_value&c1.op=gt&c1.v=100",
            AnalyticsQueryString.Encode(new AnalyticsQuery { Filter = filter }));
    }

    [Fact]
    public async Task Apply_NonNumericValue_ShowsTheErrorUnderItsConditionAndDoesNotApply()
    {
        var cut = RenderBuilder();
        cut.Find("[data-testid=add-condition]").Click();
        await SetKeyAsync(cut, 0, "chat-widget:cart_value");
        await SetOperatorAsync(cut, 0, "between");
        cut.Find("input[data-testid=condition-bound-0]").Input("abc");
        cut.Find("[data-testid=apply-filter]").Click();

        Assert.Empty(_applied);
        var errors = cut.FindAll("[data-testid=condition-error]").Select(e => e.TextContent).ToList();
        Assert.Contains(errors, e => e.Contains("needs exactly two values"));
    }

    [Fact]
    public async Task OperatorChange_ToAnotherKindOfValue_ClearsTheValues()
    {
        var cut = RenderBuilder(new AnalyticsFilter { Conditions = [new() { Key = "chat-widget:plan", Operator = "eq", Values = ["pro"] }] });
        await SetOperatorAsync(cut, 0, "neq");
        Assert.Single(cut.FindAll("[data-testid=condition-value]"));
        await SetOperatorAsync(cut, 0, "exists");
        Assert.Empty(cut.FindAll("[data-testid=condition-value]"));
        Assert.Empty(cut.FindAll("input[data-testid=condition-value-input]"));
        cut.Find("[data-testid=apply-filter]").Click();
        Assert.Equal("c0.key=chat-widget%3Aplan&c0.op=exists", AnalyticsQueryString.Encode(new AnalyticsQuery { Filter = Assert.Single(_applied) }));
    }

    [Fact]
    public void Remove_Condition_AndValueChip_UpdateTheFilter()
    {
        var cut = RenderBuilder(new AnalyticsFilter
        {
            Conditions =
            [
                new() { Key = "chat-widget:plan", Operator = "eq", Values = ["enterprise", "pro"] },
                new() { Key = "chat-widget:utm_source", Operator = "exists" },
            ],
        });
        cut.FindAll("[data-testid=condition-remove]")[1].Click();
        Assert.Single(cut.FindAll("[data-testid=condition-row]"));
        cut.FindAll("[data-testid=condition-value] .mud-chip-close-button").First().Click();
        cut.Find("[data-testid=apply-filter]").Click();
        Assert.Equal(["pro"], Assert.Single(Assert.Single(_applied).Conditions).Values);
    }

    [Fact]
    public async Task KeyAutocomplete_OffersKeysWithCounts()
    {
        var popovers = Render<MudPopoverProvider>();
        var cut = RenderBuilder(new AnalyticsFilter { Conditions = [new()] });
        var autocomplete = cut.FindComponent<MudAutocomplete<string>>();
        var search = autocomplete.Instance.SearchFunc!;
        Assert.Equal(["chat-widget:cart_value"], (await search("CART", default))!);
        Assert.Equal(3, (await search("", default))!.Count());
        await cut.InvokeAsync(() => autocomplete.Instance.OpenMenuAsync());
        popovers.WaitForAssertion(() => Assert.Contains(popovers.FindAll("[data-testid=key-option]"), o => o.TextContent == "chat-widget:utm_source"));
        Assert.Contains("(60)", popovers.Markup);
    }

    [Fact]
    public void NewFilterFromTheUrl_ReplacesTheDraft()
    {
        var cut = RenderBuilder(new AnalyticsFilter { Conditions = [new() { Key = "a", Operator = "exists" }] });
        cut.Find("[data-testid=add-condition]").Click();
        Assert.Equal(2, cut.FindAll("[data-testid=condition-row]").Count);
        cut.Render(p => p.Add(x => x.Filter, new AnalyticsFilter { Conditions = [new() { Key = "b", Operator = "exists" }] }));
        Assert.Single(cut.FindAll("[data-testid=condition-row]"));
    }
}
