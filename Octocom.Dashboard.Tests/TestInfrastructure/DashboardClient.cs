using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Octocom.Dashboard.Tests.TestInfrastructure;

/// <summary>
/// An HTTP client for a <see cref="DashboardServer"/> that behaves like a browser without JavaScript: it keeps cookies,
/// does not follow redirects (tests assert them), and submits forms the way the page renders them — including the
/// hidden antiforgery token — so requests go through the real pipeline (authentication, tenant middleware,
/// authorization, antiforgery).
/// </summary>
public sealed class DashboardClient : IDisposable
{
    public const string AuthCookie = "octocom.auth";

    private static readonly HtmlParser Parser = new();
    private readonly HttpClientHandler _handler;

    public DashboardClient(string baseUrl)
    {
        BaseUrl = baseUrl;
        _handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
        Http = new HttpClient(_handler) { BaseAddress = new Uri(baseUrl) };
    }

    public string BaseUrl { get; }
    public HttpClient Http { get; }
    public CookieContainer Cookies => _handler.CookieContainer;
    public string? SignedInAs { get; private set; }

    /// <summary>Signs in through the real login form. Returns the login POST's response (302 to the return URL on success).</summary>
    public async Task<HttpResponseMessage> TrySignInAsync(string email, string password = TestSettings.DemoPassword, string returnUrl = "/")
    {
        var response = await SubmitFormAsync($"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}", "[data-testid=login-form]",
            new Dictionary<string, string> { ["email"] = email, ["password"] = password });
        if (IsRedirectTo(response, returnUrl) && HasAuthCookie) SignedInAs = email;
        return response;
    }

    public async Task<DashboardClient> SignInAsync(string email, string password = TestSettings.DemoPassword)
    {
        var response = await TrySignInAsync(email, password);
        if (SignedInAs != email)
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode} {response.Headers.Location}");
        return this;
    }

    public bool HasAuthCookie => Cookies.GetCookies(new Uri(BaseUrl)).Any(c => c.Name == AuthCookie);

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(path);

    /// <summary>
    /// Loads <paramref name="pagePath"/>, finds the form matching <paramref name="formSelector"/>, keeps its hidden fields
    /// (antiforgery token, Blazor's form handler name), overrides/adds <paramref name="fields"/> and posts it to the
    /// form's action (or to <paramref name="actionOverride"/>).
    /// </summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(string pagePath, string formSelector, IDictionary<string, string> fields,
        string? actionOverride = null, bool includeAntiforgery = true)
    {
        var page = await Http.GetAsync(pagePath);
        if (page.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"GET {pagePath} returned {(int)page.StatusCode} {page.Headers.Location}, not a page with a form.");
        var document = await Parser.ParseDocumentAsync(await page.Content.ReadAsStringAsync());
        var form = document.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new InvalidOperationException($"No form '{formSelector}' on {pagePath}.");

        var values = new Dictionary<string, string>();
        foreach (var input in form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>())
            if (!string.IsNullOrEmpty(input.Name)) values[input.Name] = input.Value;
        if (!includeAntiforgery) values.Remove(AntiforgeryField);
        foreach (var (name, value) in fields) values[name] = value;

        var action = actionOverride ?? (string.IsNullOrEmpty(form.GetAttribute("action")) ? pagePath : form.GetAttribute("action")!);
        return await Http.PostAsync(action, new FormUrlEncodedContent(values));
    }

    /// <summary>Posts a form without any token (what a cross-site forger would send).</summary>
    public Task<HttpResponseMessage> PostWithoutAntiforgeryAsync(string path, IDictionary<string, string>? fields = null) =>
        Http.PostAsync(path, new FormUrlEncodedContent(fields ?? new Dictionary<string, string>()));

    public const string AntiforgeryField = "__RequestVerificationToken";

    /// <summary>The redirect target as a local path with query ("/account/login?ReturnUrl=…"), or null when not a redirect.</summary>
    public static string? RedirectTarget(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect
        && response.Headers.Location is { } location
            ? (location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString)
            : null;

    /// <summary>A redirect to exactly <paramref name="path"/> (any query string allowed when the path has none).</summary>
    public static bool IsRedirectTo(HttpResponseMessage response, string path) =>
        RedirectTarget(response) is { } target
        && (string.Equals(target, path, StringComparison.OrdinalIgnoreCase)
            || (!path.Contains('?') && target.StartsWith(path + "?", StringComparison.OrdinalIgnoreCase)));

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) =>
        await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());

    public void Dispose() => Http.Dispose();
}
