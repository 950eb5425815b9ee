using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Octocom.Dashboard.Data.Seeding;

namespace Octocom.Dashboard.Bench;

/// <summary>
/// A SQLite file with <c>size</c> synthetic conversations × 10 metadata pairs (<see cref="BulkConversationSeeder"/>),
/// kept in <c>--cache DIR</c> (default ~/.local/share/octocom-bench) and reused by every benchmark that asks for the same
/// size; <c>--fresh</c> reseeds.
/// </summary>
internal static class SeededDatabase
{
    /// <param name="metadataPerConversation">10 for analytics; the inbox benchmark needs none (and seeds 5× faster).</param>
    public static async Task<string> EnsureAsync(BenchContext context, int size, CancellationToken ct, int metadataPerConversation = 10)
    {
        var cacheDir = Path.GetFullPath(context.StringOption("--cache")
                                        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "octocom-bench"));
        var database = Path.Combine(cacheDir, metadataPerConversation == 10 ? $"conversations-{size}.db" : $"conversations-{size}-m{metadataPerConversation}.db");
        if (context.Args.Contains("--fresh")) Delete(database);
        Directory.CreateDirectory(cacheDir);
        if (File.Exists(database)) return database;

        var seeding = database + ".seeding";
        Delete(seeding);
        var seedTime = Stopwatch.StartNew();
        await using (var seedApp = await BenchApp.StartAsync(seeding, context.WorkDir, 0))
        {
            var result = await seedApp.Services.GetRequiredService<BulkConversationSeeder>().SeedAsync(size, metadataPerConversation, "demo", ct: ct);
            Console.WriteLine($"seeded {result.Conversations:N0} conversations, {result.MetadataRows:N0} metadata rows in {seedTime.Elapsed.TotalSeconds:N0} s");
        }
        SqliteConnection.ClearAllPools();
        Checkpoint(seeding);
        File.Move(seeding, database);
        Delete(seeding); // the empty -wal/-shm files left behind
        return database;
    }

    private static void Delete(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            if (File.Exists(file)) File.Delete(file);
    }

    private static void Checkpoint(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        command.ExecuteNonQuery();
    }
}
