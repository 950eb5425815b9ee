using System.Net;
using System.Text.RegularExpressions;

namespace Octocom.Dashboard.Tests.TestInfrastructure;

/// <summary>
/// An HttpClient signed in through the real login form (GET the page, POST it with its antiforgery token), keeping the
/// cookies like a browser — for API tests that go through the whole pipeline (authentication, tenancy, policies).
/// </summary>
public static partial class FormLoginHttpClient
{
    public static HttpClient Anonymous(string baseUrl) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };

    public static async Task<HttpClient> SignInAsync(string baseUrl, string email, string? password = null)
    {
        var client = Anonymous(baseUrl);
        var form = await client.GetStringAsync("/account/login");
        var token = AntiforgeryInput().Match(form);
        if (!token.Success) throw new InvalidOperationException("The login form has no antiforgery token.");
        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = password ?? TestSettings.DemoPassword,
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        }));
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("error=") != false)
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode} {response.Headers.Location}");
        return client;
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}
