using FluentValidation;
using Octocom.Dashboard.Businesses;
using Octocom.Dashboard.Cli;
using Octocom.Dashboard.Data.Seeding;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Metadata;
using Octocom.Dashboard.Shared;

namespace Octocom.Dashboard.Conversations;

public static class ConversationsExtensions
{
    /// <summary>Inbox, conversation view, messages, tags, metadata and businesses.</summary>
    public static IHostApplicationBuilder AddConversations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatorsFromAssemblyContaining<MetadataChangeValidator>(ServiceLifetime.Singleton);
        builder.Services.AddSingleton<MarkdownRenderer>();
        builder.Services.AddSingleton<ConversationNotifier>();
        builder.Services.AddSingleton<IConversationNotifier>(sp => sp.GetRequiredService<ConversationNotifier>());
        builder.Services.AddSingleton<EventOutbox>();
        builder.Services.AddScoped<BusinessService>();
        builder.Services.AddScoped<ConversationReader>();
        builder.Services.AddScoped<InboxService>();
        builder.Services.AddScoped<MessageService>();
        builder.Services.AddScoped<TagService>();
        builder.Services.AddScoped<ConversationLifecycle>();
        // Team inbox: assignment, unread state, full-text search (the index is database-specific, see Data/Search).
        builder.Services.AddScoped<Assignment.AssignmentService>();
        builder.Services.AddScoped<Inbox.ReadStateService>();
        builder.Services.AddSingleton<Presence.PresenceTracker>();
        builder.Services.AddSingleton<Data.Search.IConversationSearchIndex, Data.Search.SqliteConversationSearchIndex>();
        builder.Services.AddScoped<MetadataService>();
        builder.Services.AddSingleton<ICliCommand, SeedCliCommand>();
        return builder;
    }
}
