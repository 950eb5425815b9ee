using Microsoft.Data.Sqlite;

namespace Octocom.Dashboard.Tests.TestInfrastructure;

/// <summary>A fresh folder under the system temp dir, deleted (with its SQLite files) on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "octocom-tests", Guid.NewGuid().ToString("N")[..12]);

    public TempDirectory() => Directory.CreateDirectory(Path);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
