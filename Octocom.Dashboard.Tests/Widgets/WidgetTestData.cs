using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;
using Octocom.Dashboard.Tests.TestInfrastructure;
using Octocom.Dashboard.Widgets;

namespace Octocom.Dashboard.Tests.Widgets;

/// <summary>Sidebar widget definitions written straight to the database (the script studio owns the admin UI).</summary>
public static class WidgetTestData
{
    public static async Task<SidebarWidget> CreateWidgetAsync(this TestApp app, TestData.Tenant tenant, string name, string code,
        int sortOrder = 0, bool active = true, int version = 1)
    {
        await using var scope = app.ScopeFor(tenant.OrganizationId);
        await using var db = scope.Db();
        var function = new PythonFunction
        {
            Kind = FunctionKind.SidebarWidget, Name = name, Code = code, SortOrder = sortOrder, IsActive = active, Version = version,
        };
        db.PythonFunctions.Add(function);
        await db.SaveChangesAsync();
        return new SidebarWidget(function.Id, function.Name, function.Version, function.Code);
    }

    /// <summary>
    /// Starts <paramref name="workers"/> engine workers and waits until they have all served a run, so tests about
    /// overlapping runs do not depend on how fast sandboxed workers start (they start one after another).
    /// </summary>
    public static async Task WarmUpEngineAsync(this TestApp app, int workers)
    {
        var engine = app.Services.GetRequiredService<IScriptEngine>();
        var runs = await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => engine.RunAsync(new ScriptRequest
        {
            Kind = FunctionKind.SidebarWidget,
            Code = "import time\n\ndef get_sidebar_data(context):\n    time.sleep(0.5)\n    return {}\n",
            Context = new JsonObject(),
        })));
        Assert.All(runs, r => Assert.Equal(ScriptRunStatus.Ok, r.Status));
    }

    /// <summary>A widget returning one item titled <paramref name="title"/>, after <paramref name="sleepSeconds"/>.</summary>
    public static string Returning(string title, double sleepSeconds = 0) => $$$"""
        import time

        def get_sidebar_data(context):
            started = time.time()
            time.sleep({{{sleepSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}}})
            return {"title": "{{{title}}}", "items": [{"title": context["conversation"]["publicId"], "sections": [
                {"title": "Timing", "fields": {"started": started, "finished": time.time()}}]}]}
        """;

    public const string Raising = """
        def get_sidebar_data(context):
            account = {"id": 7}
            return {"title": "Wholesale", "items": [{"title": account["companyName"], "sections": []}]}
        """;

    public const string BreakingTheFormat = """
        def get_sidebar_data(context):
            return {"title": "CRM", "items": [{"title": "Jane", "badge": {"text": "VIP", "color": "purple"}}]}
        """;
}
