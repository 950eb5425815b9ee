namespace Octocom.Dashboard.Audit;

public static class AuditExtensions
{
    /// <summary>The audit trail service (<see cref="AuditLog"/>) and its page.</summary>
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<AuditLog>();
        return builder;
    }
}
