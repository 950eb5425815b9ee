using Octocom.Dashboard.Scripting;
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
