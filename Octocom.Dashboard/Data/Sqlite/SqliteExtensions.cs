using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Octocom.Dashboard.Data.Sqlite;

public static class SqliteExtensions
{
    /// <summary>
    /// The SQLite provider: the <see cref="DashboardDbContext"/> factory over <c>Database:ConnectionString</c> (a file,
    /// WAL), per-connection pragmas, periodic planner statistics and <see cref="SqliteDialect"/>. Everything SQLite-only
    /// is here or in this folder; another provider gets a sibling folder with its own <c>AddX()</c>.
    /// </summary>
    public static IHostApplicationBuilder AddSqlite(this IHostApplicationBuilder builder)
    {
        var connectionString = ResolveConnectionString(
            builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>()?.ConnectionString
                ?? new DatabaseOptions().ConnectionString,
            builder.Environment.ContentRootPath);

        builder.Services.AddSingleton<IDatabaseDialect, SqliteDialect>();
        builder.Services.AddSingleton<Search.IConversationSearchIndex, SqliteConversationSearchIndex>();
        builder.Services.AddSingleton<SqlitePragmaInterceptor>();
        // Scoped factory: each context it creates reads the scope's TenantContext (circuit, request or background scope).
        builder.Services.AddDbContextFactory<DashboardDbContext>((sp, options) => options
                .UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(DashboardDbContext).Assembly.FullName))
                .AddInterceptors(sp.GetRequiredService<SqlitePragmaInterceptor>()),
            ServiceLifetime.Scoped);
        builder.Services.AddSingleton<SqliteOptimizeService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SqliteOptimizeService>());
        return builder;
    }

    /// <summary>Makes a relative "Data Source" absolute (against the content root) and creates its folder.</summary>
    public static string ResolveConnectionString(string connectionString, string contentRoot)
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
