using FluentValidation;
using Microsoft.Extensions.Options;
using Octocom.Dashboard.Businesses;

namespace Octocom.Dashboard.ChatApi;

public static class ChatApiExtensions
{
    /// <summary>The public chat API, the widget's custom-data rules, browser sessions and the playground.</summary>
    public static IHostApplicationBuilder AddChatApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatApiOptions>().BindConfiguration(ChatApiOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.PerTokenWindow > TimeSpan.Zero && o.PerIpWindow > TimeSpan.Zero, "ChatApi rate-limit windows must be positive.")
            .Validate(o => o.PollTimeout >= TimeSpan.Zero && o.PollTimeout <= TimeSpan.FromMinutes(5), "ChatApi:PollTimeout must be between 0 and 5 minutes.")
            .ValidateOnStart();
        // The business lookup (registered by AddBusinesses) caches for as long as the chat API's setting says.
        builder.Services.AddOptions<PublicBusinessDirectoryOptions>()
            .Configure<IOptions<ChatApiOptions>>((directory, chat) => directory.CacheDuration = chat.Value.BusinessCacheDuration);

        builder.Services.AddCors();
        builder.Services.AddRateLimiter(_ => { }); // the chat API passes its own RateLimiterOptions in MapChatApi
        builder.Services.AddSingleton<IValidator<ChatCustomerFields>, ChatCustomerFieldsValidator>();
        builder.Services.AddSingleton<ChatWriteGate>();
        builder.Services.AddSingleton<BrowserSessionRecorder>();
        builder.Services.AddScoped<ChatCustomDataService>();
        builder.Services.AddSingleton<ChatSendQueue>();
        builder.Services.AddScoped<ChatMessageWriter>();
        builder.Services.AddScoped<ChatConversationService>();
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
