using Microsoft.Extensions.Options;
using Octocom.Dashboard.Businesses;

namespace Octocom.Dashboard.ChatApi;

public static class ChatApiExtensions
{
    /// <summary>The public chat API, the widget's custom-data rules, the playground and the business settings.</summary>
    public static IHostApplicationBuilder AddChatApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatApiOptions>().BindConfiguration(ChatApiOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.PerTokenWindow > TimeSpan.Zero && o.PerIpWindow > TimeSpan.Zero, "ChatApi rate-limit windows must be positive.")
            .Validate(o => o.PollTimeout >= TimeSpan.Zero && o.PollTimeout <= TimeSpan.FromMinutes(5), "ChatApi:PollTimeout must be between 0 and 5 minutes.")
            .ValidateOnStart();
        builder.Services.AddOptions<PublicBusinessDirectoryOptions>()
            .Configure<IOptions<ChatApiOptions>>((directory, chat) => directory.CacheDuration = chat.Value.BusinessCacheDuration);

        builder.Services.AddCors();
        builder.Services.AddRateLimiter(_ => { }); // the chat API passes its own RateLimiterOptions in MapChatApi
        builder.Services.AddSingleton<PublicBusinessDirectory>();
        builder.Services.AddSingleton<ChatWriteGate>();
        builder.Services.AddSingleton<BrowserSessionRecorder>();
        builder.Services.AddScoped<ChatCustomDataService>();
        builder.Services.AddSingleton<ChatSendQueue>();
        builder.Services.AddScoped<ChatMessageWriter>();
        builder.Services.AddScoped<ChatConversationService>();
        builder.Services.AddScoped<BusinessSettingsService>();
        return builder;
    }

    /// <summary>Maps <c>/api/chat/…</c> with its CORS, JSON-problem and rate-limit middleware (for that path only).</summary>
    public static WebApplication MapChatApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ChatApiOptions>>().Value;
        var rateLimits = ChatRateLimits.Create(options);
        app.UseWhen(context => context.Request.Path.StartsWithSegments(ChatEndpoints.RoutePrefix), chat =>
        {
            chat.UseMiddleware<ChatApiMiddleware>();
            chat.UseRateLimiter(rateLimits);
        });
        app.MapChatEndpoints();
        return app;
    }
}
