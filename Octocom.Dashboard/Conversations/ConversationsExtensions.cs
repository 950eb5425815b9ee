namespace Octocom.Dashboard.Conversations;

public static class ConversationsExtensions
{
    /// <summary>Inbox, conversation view, messages, tags, timeline, the status lifecycle and live updates across circuits.</summary>
    public static IHostApplicationBuilder AddConversations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConversationNotifier>();
        builder.Services.AddScoped<ConversationReader>();
        builder.Services.AddScoped<InboxService>();
        builder.Services.AddScoped<MessageService>();
        builder.Services.AddScoped<TagService>();
        builder.Services.AddScoped<ConversationLifecycle>();
        return builder;
    }
}
