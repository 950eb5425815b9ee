using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Octocom.Dashboard.Data;

public static class DataExtensions
{
    public static IHostApplicationBuilder AddData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateOnStart();

        var connectionString = ResolveSqliteConnectionString(
            builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>()?.ConnectionString
                ?? new DatabaseOptions().ConnectionString,
            builder.Environment.ContentRootPath);

        var keysPath = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>()?.KeysPath ?? new DatabaseOptions().KeysPath;
        builder.Services.AddDataProtection()
            .SetApplicationName("Octocom.Dashboard")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, keysPath))));

        builder.Services.AddSingleton<SqlitePragmaInterceptor>();
        // Scoped factory: each context it creates reads the scope's TenantContext (circuit, request or background scope).
        builder.Services.AddDbContextFactory<DashboardDbContext>((sp, options) => options
                .UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(DashboardDbContext).Assembly.FullName))
                .AddInterceptors(sp.GetRequiredService<SqlitePragmaInterceptor>()),
            ServiceLifetime.Scoped);

        builder.Services.AddSingleton<DatabaseInitializer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DatabaseInitializer>());
        builder.Services.AddSingleton<SqliteOptimizeService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SqliteOptimizeService>());
        return builder;
    }

    /// <summary>Makes a relative "Data Source" absolute (against the content root) and creates its folder.</summary>
    public static string ResolveSqliteConnectionString(string connectionString, string contentRoot)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(csb.DataSource) && csb.DataSource != ":memory:" && csb.Mode != SqliteOpenMode.Memory)
        {
            if (!Path.IsPathRooted(csb.DataSource))
                csb.DataSource = Path.GetFullPath(Path.Combine(contentRoot, csb.DataSource));
            Directory.CreateDirectory(Path.GetDirectoryName(csb.DataSource)!);
        }
        return csb.ToString();
    }
}
