using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Data.Seeding;

namespace Octocom.Dashboard.Events;

public static class EventsExtensions
{
    /// <summary>
    /// Event handlers: the outbox (<see cref="EventOutbox"/>, written by the conversation lifecycle in its own
    /// transaction), the dispatcher (a hosted service that runs the outbox's jobs), its lease store, retry policy and
    /// wake-up signal (pulsed after any commit that queues jobs), the run log service behind <c>/runs</c> and the
    /// conversation page's Automation panel, and the demo handlers.
    /// </summary>
    public static IHostApplicationBuilder AddEvents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EventsOptions>().BindConfiguration(EventsOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EventsOptions>, EventsOptionsValidator>();
        builder.Services.AddSingleton<EventOutbox>();
        builder.Services.AddSingleton<EventJobSignal>();
        builder.Services.AddSingleton<EventJobCommitInterceptor>();
        builder.Services.ConfigureDbContext<DashboardDbContext>(
            (sp, options) => options.AddInterceptors(sp.GetRequiredService<EventJobCommitInterceptor>()), ServiceLifetime.Scoped);
        builder.Services.AddSingleton<EventJobStore>();
        builder.Services.AddSingleton<EventRetryPolicy>();
        builder.Services.AddSingleton<EventJobRunner>();
        builder.Services.AddSingleton<EventDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EventDispatcher>());
        builder.Services.AddScoped<RunLogService>();
        builder.Services.AddSingleton<IDemoDataContributor, EventHandlersDemoData>();
        return builder;
    }
}
