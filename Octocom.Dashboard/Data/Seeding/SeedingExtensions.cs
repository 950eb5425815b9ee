using Octocom.Dashboard.Cli;

namespace Octocom.Dashboard.Data.Seeding;

public static class SeedingExtensions
{
    /// <summary>
    /// Demo data (<see cref="DemoDataSeeder"/>, run once on an empty database; each feature adds its part through an
    /// <see cref="IDemoDataContributor"/>) and the bulk seeder behind the <c>seed --size N</c> command.
    /// </summary>
    public static IHostApplicationBuilder AddSeeding(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoDataOptions>().BindConfiguration(DemoDataOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<DemoDataSeeder>();
        builder.Services.AddSingleton<BulkConversationSeeder>();
        builder.Services.AddSingleton<ICliCommand, SeedCliCommand>();
        return builder;
    }
}
