namespace Octocom.Dashboard.Notifications;

public static class NotificationsExtensions
{
    /// <summary>Agents' in-app (and browser) notifications and their settings.</summary>
    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<NotificationHub>();
        builder.Services.AddScoped<INotificationService, NotificationService>();
        builder.Services.AddScoped<InboxNotifications>();
        return builder;
    }
}
