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
        builder.Services.AddSingleton<EventOutbox>();
        builder.Services.AddScoped<BusinessService>();
        builder.Services.AddScoped<ConversationReader>();
        builder.Services.AddScoped<InboxService>();
        builder.Services.AddScoped<MessageService>();
        builder.Services.AddScoped<TagService>();
        builder.Services.AddScoped<ConversationLifecycle>();
        builder.Services.AddScoped<MetadataService>();
        builder.Services.AddSingleton<ICliCommand, SeedCliCommand>();
        return builder;
    }
}
