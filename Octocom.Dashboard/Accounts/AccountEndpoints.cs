using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Octocom.Dashboard.Accounts;

/// <summary>Form posts that set or clear the sign-in cookie (they need a real HTTP response, not a circuit).</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // Login binds [FromForm] fields, so the framework rejects a POST without a valid antiforgery token (400).
        var group = app.MapGroup("/account").ExcludeFromDescription();

        group.MapPost("/login", async ([FromForm] string email, [FromForm] string password, [FromForm] string? returnUrl,
            SignInManager<ApplicationUser> signIn, ILoggerFactory loggers) =>
        {
            var target = SafeReturnUrl(returnUrl);
            var result = await signIn.PasswordSignInAsync(email.Trim(), password, isPersistent: false, lockoutOnFailure: true);
            if (result.Succeeded) return Results.LocalRedirect(target);
            var error = result.IsLockedOut ? "locked" : result.IsNotAllowed ? "notallowed" : "invalid";
            loggers.CreateLogger("Octocom.Accounts").LogWarning("Failed sign-in for {Email}: {Reason}", email, error);
            return Results.LocalRedirect($"/account/login?error={error}&returnUrl={Uri.EscapeDataString(target)}");
        }).AllowAnonymous();

        // No form fields are bound here, so minimal APIs would not check the antiforgery token by themselves.
        group.MapPost("/logout", async (HttpContext http, IAntiforgery antiforgery, SignInManager<ApplicationUser> signIn) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest("Missing or invalid antiforgery token.");
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/account/login");
        }).RequireAuthorization();

        return app;
    }

    /// <summary>Only local paths, never "//evil.example" or absolute URLs (open-redirect protection).</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl
            : "/";
}
