using MudBlazor.Services;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Actions;
using Octocom.Dashboard.Audit;
using Octocom.Dashboard.Analytics;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.ChatApi;
using Octocom.Dashboard.Cli;
using Octocom.Dashboard.Components;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Data.Seeding;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Metadata;
using Octocom.Dashboard.Notifications;
using Octocom.Dashboard.Secrets;
using Octocom.Dashboard.Shared;
using Octocom.Dashboard.Tenancy;
using Octocom.Dashboard.Widgets;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Functions;
using Octocom.Dashboard.Studio;

namespace Octocom.Dashboard;

/// <summary>
/// The app's composition (Program.cs, the CLI, the tests and the benchmarks share it): each feature folder registers
/// its own services, options, validators and demo data with one <c>AddX()</c> line below — a new feature adds a folder
/// and a line here (docs/architecture.md).
/// </summary>
public static class DashboardApp
{
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder, bool cli = false)
    {
        if (cli) CliHost.ConfigureLogging(builder.Logging);

        // Running a built (unpublished) app outside Development needs this for _content/* assets.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.AddData();
        builder.AddSeeding();
        builder.AddTenancy();
        builder.AddShared();
        builder.AddAccounts();
        builder.AddAudit();
        builder.AddSecrets();
        builder.AddBusinesses();
        builder.AddConversations();
        builder.AddNotifications();
        builder.AddMetadata();
        builder.AddScripting();
        builder.AddFunctions();
        builder.AddWidgets();
        builder.AddActions();
        builder.AddStudio();
        builder.AddEvents();
        builder.AddAnalytics();
        builder.AddChatApi();
        return builder;
    }

    public static WebApplication UseDashboard(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        // Friendly not-found page for page requests only: re-executing a rejected form POST (e.g. a missing antiforgery
        // token) as a page would fail again and turn the 400 into a 500, and API clients want their own status codes.
        app.UseWhen(ctx => HttpMethods.IsGet(ctx.Request.Method) && !ctx.Request.Path.StartsWithSegments("/api"),
            pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        // Routing must run after the re-execute middleware, or the re-executed /not-found request matches no endpoint
        // (the implicit UseRouting at the top of the pipeline has already run) and the 404 goes out with an empty body.
        app.UseRouting();
        app.UseAuthentication();
        app.UseTenantFromUser();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.UseFrontEndAssets();
        app.MapOpenApi();
        app.MapAccountEndpoints();
        app.MapAnalyticsApi();
        app.MapChatApi();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>Serves wwwroot-assets/ (copied next to the app on build) under /assets/, e.g. the chat widget.</summary>
    private static void UseFrontEndAssets(this WebApplication app)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "wwwroot-assets");
        if (!Directory.Exists(folder)) return;
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(folder),
            RequestPath = "/assets",
        });
    }
}
