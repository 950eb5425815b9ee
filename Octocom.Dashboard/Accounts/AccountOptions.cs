namespace Octocom.Dashboard.Accounts;

public sealed class AccountOptions
{
    public const string SectionName = "Accounts";

    /// <summary>
    /// Send the sign-in and antiforgery cookies only over HTTPS. Turn on whenever the dashboard is served over TLS
    /// (also behind a TLS-terminating proxy).
    /// </summary>
    public bool SecureCookies { get; set; }

    /// <summary>Failed sign-ins before the account is locked.</summary>
    public int MaxFailedAccessAttempts { get; set; } = 5;

    /// <summary>How long a locked-out account stays locked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Idle time after which the sign-in cookie expires (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// How often a signed-in session (cookie and open Blazor circuit) is re-checked against the database, so a role
    /// change, lock, password reset or deletion ends the user's other sessions within this time.
    /// </summary>
    public TimeSpan SessionValidationInterval { get; set; } = TimeSpan.FromMinutes(1);

    public static string? Validate(AccountOptions o) =>
        o.MaxFailedAccessAttempts < 1 ? "Accounts:MaxFailedAccessAttempts must be at least 1."
        : o.LockoutDuration <= TimeSpan.Zero ? "Accounts:LockoutDuration must be positive."
        : o.SessionLifetime <= TimeSpan.Zero ? "Accounts:SessionLifetime must be positive."
        : o.SessionValidationInterval < TimeSpan.Zero ? "Accounts:SessionValidationInterval must not be negative."
        : null;
}
