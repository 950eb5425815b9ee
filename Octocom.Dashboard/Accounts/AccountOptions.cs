namespace Octocom.Dashboard.Accounts;

public sealed class AccountOptions
{
    public const string SectionName = "Accounts";

    /// <summary>Send the auth cookie only over HTTPS. Turn on whenever the dashboard is served over TLS.</summary>
    public bool SecureCookies { get; set; }

    /// <summary>Failed sign-ins before the account is locked.</summary>
    public int MaxFailedAccessAttempts { get; set; } = 5;

    /// <summary>How long a locked-out account stays locked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Idle time after which the sign-in cookie expires (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}
