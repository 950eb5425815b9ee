using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Cli;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Data.Seeding;
using Octocom.Dashboard.Tenancy;

namespace Octocom.Dashboard.Accounts;

public static class AccountsExtensions
{
    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.SectionName)
            .Validate(o => AccountOptions.Validate(o) is null, "Invalid Accounts settings (see appsettings.sample.json).").ValidateOnStart();
        var accountOptions = builder.Configuration.GetSection(AccountOptions.SectionName).Get<AccountOptions>() ?? new AccountOptions();

        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        builder.Services.AddIdentityCore<ApplicationUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = accountOptions.MaxFailedAccessAttempts;
                o.Lockout.DefaultLockoutTimeSpan = accountOptions.LockoutDuration;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<DashboardDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<OrganizationClaimsFactory>()
            .AddDefaultTokenProviders();

        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/access-denied";
            o.Cookie.Name = "octocom.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = accountOptions.SecureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = accountOptions.SessionLifetime;
            o.SlidingExpiration = true;
            // APIs answer 401/403; pages redirect to the login or access-denied page.
            o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAwareRedirect(ctx, StatusCodes.Status403Forbidden);
        });

        // Cookies are re-checked against the user's security stamp this often (role change, lock, reset, deletion).
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = accountOptions.SessionValidationInterval);
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "octocom.antiforgery";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = accountOptions.SecureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.ReadConversations, p => p.RequireRole(Roles.Agent, Roles.Admin, Roles.Manager))
            .AddPolicy(Policies.WorkConversations, p => p.RequireRole(Roles.Agent, Roles.Admin))
            .AddPolicy(Policies.Administer, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.ViewAnalytics, p => p.RequireRole(Roles.Manager, Roles.Admin));

        builder.Services.AddScoped<CircuitHandler, TenantCircuitHandler>();
        builder.Services.AddScoped<AuthenticationStateProvider, SessionRevalidator>();
        builder.Services.AddScoped<IDemoDataContributor, DemoUsersContributor>();
        builder.Services.AddScoped<UserAdminService>();
        builder.Services.AddSingleton<ICliCommand, UsersCliCommand>();
        return builder;
    }

    /// <summary>After authentication: the request's TenantContext follows the signed-in user.</summary>
    public static IApplicationBuilder UseTenantFromUser(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.RequestServices.GetRequiredService<TenantContext>().SetUser(context.User);
            await next();
        });

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
            // Otherwise the status-code page re-executes the request (a POST then fails antiforgery with 400).
            if (ctx.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
        }
        else
            ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
