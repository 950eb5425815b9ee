namespace Octocom.Dashboard.Conversations;

public static class ConversationsExtensions
{
    /// <summary>Inbox, conversation view, messages, tags, timeline, the status lifecycle and live updates across circuits.</summary>
    public static IHostApplicationBuilder AddConversations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConversationNotifier>();
        builder.Services.AddSingleton<IConversationNotifier>(sp => sp.GetRequiredService<ConversationNotifier>());
        builder.Services.AddScoped<ConversationReader>();
        builder.Services.AddScoped<InboxService>();
        builder.Services.AddScoped<MessageService>();
        builder.Services.AddScoped<TagService>();
        builder.Services.AddScoped<ConversationLifecycle>();
        // Team inbox: assignment, unread state, presence (the full-text index is the database provider's: Data/Sqlite).
        builder.Services.AddScoped<Assignment.AssignmentService>();
        builder.Services.AddScoped<Inbox.ReadStateService>();
        builder.Services.AddSingleton<Presence.PresenceTracker>();
        return builder;
    }
}
