using Microsoft.AspNetCore.DataProtection;
using Octocom.Dashboard.Data.Sqlite;

namespace Octocom.Dashboard.Data;

public static class DataExtensions
{
    /// <summary>
    /// The database: its options, the start-up initializer (migrations, demo data), the Data Protection key ring, and
    /// the provider. Provider-specific set-up lives behind the provider's one registration (<see cref="SqliteExtensions.AddSqlite"/>);
    /// the few query-level differences behind <see cref="IDatabaseDialect"/>.
    /// </summary>
    public static IHostApplicationBuilder AddData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateOnStart();

        var keysPath = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>()?.KeysPath ?? new DatabaseOptions().KeysPath;
        builder.Services.AddDataProtection()
            .SetApplicationName("Octocom.Dashboard")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, keysPath))));

        // First hosted service: the database is ready before anything else starts.
        builder.Services.AddSingleton<DatabaseInitializer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DatabaseInitializer>());

        // The provider. SQLite is the only one today; a second one (issue 17: Database:Provider) is chosen here.
        builder.AddSqlite();
        return builder;
    }
}
