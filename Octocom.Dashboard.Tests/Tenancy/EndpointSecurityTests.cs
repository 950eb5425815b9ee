using System.Net;
using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Accounts;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Tenancy;

/// <summary>
/// Every page and endpoint of the dashboard, and who may use it — checked over real HTTP (Kestrel, cookies signed in
/// through the real login form, antiforgery tokens taken from the rendered forms).
///
/// <para><b>Adding your page or endpoint</b> — add one row to <see cref="Endpoints"/>:</para>
/// <list type="bullet">
/// <item><c>Page("/your/page", Readers)</c> — a Blazor page: anonymous → 302 to /account/login, a role not listed →
///   302 to /account/access-denied, a listed role → 200.</item>
/// <item><c>Api("GET", "/api/your/endpoint", Workers)</c> — anonymous → 401, a role not listed → 403, a listed role →
///   the row's <c>Allowed</c> status (200 unless given). Pass <c>json:</c> for a POST body.</item>
/// <item><c>Form("/your/form-post", Everyone)</c> — a form POST; the allowed case sends a real antiforgery token and
///   <see cref="FormPost_WithoutAntiforgeryToken_IsRejected"/> proves it is required.</item>
/// <item><c>Public(...)</c> — reachable without signing in (keep this list short); an anonymous caller gets the row's
///   <c>Allowed</c> status (the chat API's conversation endpoints answer 401 without their token, not a sign-in).</item>
/// </list>
/// <para><see cref="EveryPageAndEndpoint_HasARowInTheTable"/> fails for any page or endpoint the app maps without a row.</para>
/// <para>Use <c>{conversation}</c> (a public ID), <c>{conversationId}</c> (a GUID) or add your own placeholder in
/// <see cref="SecurityServerFixture.InitializeAsync"/> for an ID that belongs to the "demo" organization. Then add a
/// row to <see cref="CrossTenant"/> for any route that takes an ID or lists data: a "globex" admin must get a 404 with the
/// not-found view and never see the text in <c>Leak</c>; the same request by a "demo" admin must show it (so the row
/// can fail).</para>
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class EndpointSecurityTests(SecurityServerFixture fixture)
{
    private static readonly string[] Everyone = Roles.All;
    private static readonly string[] Readers = [Roles.Admin, Roles.Agent, Roles.Manager];
    private static readonly string[] Workers = [Roles.Admin, Roles.Agent];
    private static readonly string[] Analysts = [Roles.Admin, Roles.Manager];
    private static readonly string[] Admins = [Roles.Admin];

    public enum Kind { Page, Api, Form }

    /// <param name="Roles">Roles allowed; null = public (no sign-in needed).</param>
    /// <param name="Allowed">Status an allowed caller gets (or a redirect target starting with "/").</param>
    public sealed record Endpoint(string Method, string Path, Kind Kind, string[]? Roles, string Allowed = "200", string? Json = null)
    {
        public string Key => $"{Method} {Path}";
    }

    private static Endpoint Page(string path, string[] roles, string allowed = "200") => new("GET", path, Kind.Page, roles, allowed);
    private static Endpoint Api(string method, string path, string[] roles, string allowed = "200", string? json = null) =>
        new(method, path, Kind.Api, roles, allowed, json);
    private static Endpoint Form(string path, string[] roles, string allowed) => new("POST", path, Kind.Form, roles, allowed);
    private static Endpoint Public(string method, string path, Kind kind = Kind.Page, string allowed = "200", string? json = null) =>
        new(method, path, kind, null, allowed, json);

    public static readonly Endpoint[] Endpoints =
    [
        Public("GET", "/account/login"),
        Public("GET", "/not-found"),
        Public("GET", "/Error"),
        Public("GET", "/openapi/v1.json", Kind.Api),
        Public("POST", "/account/login", Kind.Form, allowed: "/account/login"), // wrong password: back to the form
        Public("GET", "/api/chat/trailhead", Kind.Api), // the website chat widget's API: its token, not a sign-in, guards conversations
        Public("GET", "/api/chat/trailhead/no-such-endpoint", Kind.Api, allowed: "404"), // unknown chat paths: a problem, not a page
        Public("POST", "/api/chat/trailhead/conversations", Kind.Api, allowed: "201", json: """{"message": "Hello from the security table"}"""),
        Public("POST", "/api/chat/trailhead/conversations/{conversationId}/messages", Kind.Api, allowed: "401", json: """{"message": "x"}"""),
        Public("GET", "/api/chat/trailhead/conversations/{conversationId}/messages", Kind.Api, allowed: "401"),
        Public("POST", "/api/chat/trailhead/conversations/{conversationId}/handoff", Kind.Api, allowed: "401", json: "{}"),
        Public("POST", "/api/chat/trailhead/conversations/{conversationId}/close", Kind.Api, allowed: "401", json: "{}"),

        Page("/", Everyone, allowed: "302"), // to /inbox, or /analytics for managers
        Page("/account/password", Everyone),
        Page("/account/access-denied", Everyone),
        Page("/account/notifications", Everyone),
        Form("/account/password", Everyone, allowed: "200"),
        Form("/account/logout", Everyone, allowed: "/account/login"),

        Page("/inbox", Readers),
        Page("/inbox?status=open&q=order", Readers),
        Page("/inbox?view=all&status=any&sort=waiting&q=%22NEAR%20*", Readers),
        Page("/conversations/{conversation}", Readers),
        Page("/conversations/{conversationId}", Readers),

        Page("/scripts", Admins),
        Page("/scripts?kind=action", Admins),
        Page("/scripts/{function}", Admins),
        Page("/scripts/new/widget", Admins),
        Page("/scripts/new/handler", Admins),

        Page("/playground", Admins),
        Page("/settings/businesses", Admins),
        Page("/settings/users", Admins),
        Page("/settings/secrets", Admins),
        Page("/settings/audit", Admins),
        Page("/settings/audit?type=ScriptSecret&period=7", Admins),

        Page("/runs", Admins),
        Page("/runs?kind=handler&status=error&trigger=event&conversation={conversation}", Admins),
        Page("/runs/{run}", Admins),

        Page("/analytics", Analysts),
        Api("GET", "/api/analytics/query?c0.key=chat-widget:plan&c0.op=eq&c0.v=pro", Analysts),
        Api("POST", "/api/analytics/query", Analysts, json: "{}"),
        Api("GET", "/api/analytics/conversations.csv", Analysts),
        Api("GET", "/api/analytics/segments.csv?segment=chat-widget:plan", Analysts),
        Api("GET", "/api/analytics/keys", Analysts),
        Api("GET", "/api/analytics/values?key=chat-widget:plan", Analysts),
    ];

    /// <param name="Leak">Text from the "demo" organization that a "globex" user must never receive.</param>
    /// <param name="ExpectNotFound">The route addresses one "demo" row by ID: expect a 404 status with the not-found view.</param>
    public sealed record CrossTenantCase(string Path, string Leak, bool ExpectNotFound);

    public static readonly CrossTenantCase[] CrossTenant =
    [
        new("/conversations/{conversation}", "{conversationSubject}", ExpectNotFound: true),
        new("/conversations/{conversationId}", "{conversationSubject}", ExpectNotFound: true),
        new("/scripts/{function}", "{functionName}", ExpectNotFound: true),
        new("/scripts", "{functionName}", ExpectNotFound: false),
        new("/settings/users", "agent@demo.octocom.local", ExpectNotFound: false),
        new("/settings/businesses", "data-business=\"trailhead\"", ExpectNotFound: false),
        new("/playground", "data-business=\"bean-and-leaf\"", ExpectNotFound: false),
        new("/settings/secrets", "{secret}", ExpectNotFound: false),
        new("/settings/audit", "{auditMarker}", ExpectNotFound: false),
        new("/settings/audit?type=Business", "{auditMarker}", ExpectNotFound: false),
        new("/runs/{run}", "{runMarker}", ExpectNotFound: true),
        new("/runs", "{runMarker}", ExpectNotFound: false),
        new("/inbox?view=all&status=any", "#{conversation}", ExpectNotFound: false),
        new("/runs?conversation={conversation}", "{runMarker}", ExpectNotFound: false),
    ];

    public static TheoryData<string> ProtectedEndpoints() => new(Endpoints.Where(e => e.Roles is not null).Select(e => e.Key));

    public static TheoryData<string> PublicEndpoints() => new(Endpoints.Where(e => e.Roles is null).Select(e => e.Key));

    public static TheoryData<string, string> DeniedCombinations()
    {
        var data = new TheoryData<string, string>();
        foreach (var e in Endpoints.Where(e => e.Roles is not null))
            foreach (var role in Roles.All.Except(e.Roles!))
                data.Add(e.Key, role);
        return data;
    }

    public static TheoryData<string, string> AllowedCombinations()
    {
        var data = new TheoryData<string, string>();
        foreach (var e in Endpoints.Where(e => e.Roles is not null))
            foreach (var role in e.Roles!)
                data.Add(e.Key, role);
        return data;
    }

    public static TheoryData<string> CrossTenantPaths() => new(CrossTenant.Select(c => c.Path));

    public static TheoryData<string> FormPosts() => new(Endpoints.Where(e => e.Kind == Kind.Form).Select(e => e.Path));

    private static Endpoint Find(string key) => Endpoints.Single(e => e.Key == key);

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task Anonymous_IsSentToLoginOrGets401(string key)
    {
        var endpoint = Find(key);
        using var client = await fixture.NewClientAsync();
        var response = await SendAsync(client, endpoint, withAntiforgery: false);

        if (endpoint.Kind == Kind.Api)
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        else
            Assert.True(DashboardClient.IsRedirectTo(response, "/account/login"),
                $"{key}: expected a redirect to /account/login, got {(int)response.StatusCode} {DashboardClient.RedirectTarget(response)}");
    }

    [Theory]
    [MemberData(nameof(PublicEndpoints))]
    public async Task Anonymous_CanReachPublicEndpoint(string key)
    {
        var endpoint = Find(key);
        using var client = await fixture.NewClientAsync();
        var response = await SendAsync(client, endpoint, withAntiforgery: true);
        AssertAllowed(endpoint, response, "anonymous");
    }

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/scripts/a/b/c")]
    public async Task UnknownAddress_Gets404WithTheNotFoundPage(string path)
    {
        var client = await fixture.ClientFor(SecurityServerFixture.DemoUser(Roles.Admin));
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("data-testid=\"not-found\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(DeniedCombinations))]
    public async Task RoleWithoutAccess_IsDenied(string key, string role)
    {
        var endpoint = Find(key);
        var client = await fixture.ClientFor(SecurityServerFixture.DemoUser(role));
        var response = await SendAsync(client, endpoint, withAntiforgery: true);

        if (endpoint.Kind == Kind.Api)
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        else
            Assert.True(DashboardClient.IsRedirectTo(response, "/account/access-denied"),
                $"{key} as {role}: expected access denied, got {(int)response.StatusCode} {DashboardClient.RedirectTarget(response)}");
    }

    [Theory]
    [MemberData(nameof(AllowedCombinations))]
    public async Task RoleWithAccess_IsServed(string key, string role)
    {
        var endpoint = Find(key);
        // Form posts may change the session (sign out): use a fresh client for them.
        using var fresh = endpoint.Method == "GET" ? null : await fixture.NewClientAsync(SecurityServerFixture.DemoUser(role));
        var client = fresh ?? await fixture.ClientFor(SecurityServerFixture.DemoUser(role));
        var response = await SendAsync(client, endpoint, withAntiforgery: true);
        AssertAllowed(endpoint, response, role);
    }

    private static void AssertAllowed(Endpoint endpoint, HttpResponseMessage response, string caller)
    {
        if (endpoint.Allowed.StartsWith('/'))
            Assert.True(DashboardClient.IsRedirectTo(response, endpoint.Allowed),
                $"{endpoint.Key} as {caller}: expected a redirect to {endpoint.Allowed}, got {(int)response.StatusCode} {DashboardClient.RedirectTarget(response)}");
        else
            Assert.Equal(endpoint.Allowed, ((int)response.StatusCode).ToString());
    }

    [Theory]
    [MemberData(nameof(CrossTenantPaths))]
    public async Task OtherOrganization_GetsNotFoundAndNoneOfTheOwnersData(string path)
    {
        var row = CrossTenant.Single(c => c.Path == path);
        var client = await fixture.ClientFor(SecurityServerFixture.GlobexUser(Roles.Admin));
        var response = await client.GetAsync(fixture.Resolve(row.Path));
        var html = await response.Content.ReadAsStringAsync();
        var text = (await DashboardClient.ParseAsync(response)).Body?.TextContent ?? "";

        var leak = fixture.Resolve(row.Leak);
        Assert.DoesNotContain(leak, html);
        Assert.DoesNotContain(leak, text);
        if (row.ExpectNotFound)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("data-testid=\"not-found\"", html);
        }
        else
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The control for the test above: the owner does see the text, so the leak check can fail.</summary>
    [Theory]
    [MemberData(nameof(CrossTenantPaths))]
    public async Task OwnerOrganization_SeesTheDataTheCrossTenantCheckLooksFor(string path)
    {
        var row = CrossTenant.Single(c => c.Path == path);
        var client = await fixture.ClientFor(SecurityServerFixture.DemoUser(Roles.Admin));
        var response = await client.GetAsync(fixture.Resolve(row.Path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = (await DashboardClient.ParseAsync(response)).Body?.TextContent ?? "";
        Assert.Contains(fixture.Resolve(row.Leak), text);
        Assert.DoesNotContain("data-testid=\"not-found\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(FormPosts))]
    public async Task FormPost_WithoutAntiforgeryToken_IsRejected(string path)
    {
        // Signed in (except for the login form itself), so only the missing token can be the reason for the 400.
        using var client = await fixture.NewClientAsync(path == "/account/login" ? null : SecurityServerFixture.DemoUser(Roles.Admin));
        var response = await client.PostWithoutAntiforgeryAsync(path, new Dictionary<string, string>
        {
            ["email"] = SecurityServerFixture.DemoUser(Roles.Admin),
            ["password"] = TestSettings.DemoPassword,
            ["_handler"] = "change-password",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        if (path == "/account/login") Assert.False(client.HasAuthCookie);
    }

    /// <summary>
    /// Every page (each <c>@page</c> component) and every endpoint the running app maps has a row in <see cref="Endpoints"/>
    /// whose path it serves, so a new page or endpoint that nobody adds to the table fails here instead of going out
    /// with its access rules unchecked.
    /// </summary>
    [Fact]
    public void EveryPageAndEndpoint_HasARowInTheTable()
    {
        var pages = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes(typeof(Microsoft.AspNetCore.Components.RouteAttribute), inherit: false))
            .Select(a => new MappedRoute("GET", ((Microsoft.AspNetCore.Components.RouteAttribute)a).Template))
            .ToList();
        var endpoints = fixture.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !IsFrameworkEndpoint(e))
            .SelectMany(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null
                ? [new MappedRoute("GET", e.RoutePattern.RawText!)] // a page: its GET is what the table checks
                : (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new MappedRoute(m, e.RoutePattern.RawText!)))
            .ToList();
        Assert.Contains(pages, p => p.Template == "/inbox"); // the reflection finds the pages…
        Assert.Contains(endpoints, e => e.Template.StartsWith("/api/analytics")); // …and the data source the endpoints

        var missing = pages.Concat(endpoints).Distinct().Where(route => !Endpoints.Any(row => route.IsServedBy(row, fixture.Resolve))).ToList();

        Assert.True(missing.Count == 0, "No row in EndpointSecurityTests.Endpoints for: " + string.Join(", ", missing));
    }

    /// <summary>
    /// What the framework maps for every app: the static assets and their fallback for file paths (public by nature),
    /// and Blazor's circuit hub and scripts (the pages behind them are each checked by their own row).
    /// </summary>
    private static bool IsFrameworkEndpoint(RouteEndpoint endpoint) =>
        endpoint.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal))
        || (endpoint.Metadata.Any(m => m.GetType().Name == "FallbackMetadata") && endpoint.RoutePattern.RawText!.EndsWith(":file}", StringComparison.Ordinal))
        || endpoint.RoutePattern.RawText!.TrimStart('/') is var path
           && (path.StartsWith("_blazor", StringComparison.Ordinal) || path.StartsWith("_framework", StringComparison.Ordinal));

    private sealed record MappedRoute(string Method, string Template)
    {
        /// <summary>The row uses this method and its path (placeholders resolved, query left out) matches the route template.</summary>
        public bool IsServedBy(Endpoint row, Func<string, string> resolve)
        {
            if (!string.Equals(row.Method, Method, StringComparison.OrdinalIgnoreCase)) return false;
            var path = resolve(row.Path).Split('?')[0];
            var matcher = new TemplateMatcher(TemplateParser.Parse(Template.TrimStart('/')), new RouteValueDictionary());
            return matcher.TryMatch(new PathString(path), new RouteValueDictionary());
        }

        public override string ToString() => $"{Method} {Template}";
    }

    private async Task<HttpResponseMessage> SendAsync(DashboardClient client, Endpoint endpoint, bool withAntiforgery)
    {
        var path = fixture.Resolve(endpoint.Path);
        switch (endpoint.Kind)
        {
            case Kind.Form when withAntiforgery && client.SignedInAs is not null:
                // Any of the user's rendered forms carries a valid token for them; the password page always has one.
                return await client.SubmitFormAsync("/account/password", "[data-testid=password-form]",
                    new Dictionary<string, string>(), actionOverride: path);
            case Kind.Form when withAntiforgery:
                // Signed out, the login page's form carries the token (and a sign-in that must fail).
                return await client.SubmitFormAsync("/account/login", "[data-testid=login-form]",
                    new Dictionary<string, string> { ["email"] = "nobody@example.invalid", ["password"] = "not-the-password" }, actionOverride: path);
            case Kind.Form:
                return await client.PostWithoutAntiforgeryAsync(path);
            default:
                var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), path);
                if (endpoint.Json is not null) request.Content = new StringContent(endpoint.Json, Encoding.UTF8, "application/json");
                return await client.Http.SendAsync(request);
        }
    }
}
