namespace Octocom.Dashboard.Data;

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>SQLite connection string; a relative Data Source is resolved against the content root.</summary>
    public string ConnectionString { get; set; } = "Data Source=App_Data/octocom.db";

    /// <summary>Apply pending EF Core migrations at start.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>SQLite memory-mapped I/O per connection, in MB (0 = off). Costs address space, not memory.</summary>
    public long MmapSizeMb { get; set; } = 256;

    /// <summary>How often SQLite's planner statistics are refreshed (<c>PRAGMA optimize</c>); zero or less = never.</summary>
    public TimeSpan OptimizeInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// Folder for the ASP.NET Data Protection key ring (sign-in cookies, encrypted script secrets). Kept outside the
    /// database so a copy of the database file alone does not reveal secrets. Relative to the content root.
    /// </summary>
    public string KeysPath { get; set; } = "App_Data/keys";
}

public sealed class DemoDataOptions
{
    public const string SectionName = "DemoData";

    /// <summary>Seed demo organizations, businesses and conversations when the database has no organization yet.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Conversations to create for the main demo organization (the second organization gets a tenth).</summary>
    public int ConversationCount { get; set; } = 300;

    /// <summary>Create one demo user per role in each demo organization. Set false in production.</summary>
    public bool CreateUsers { get; set; } = true;

    /// <summary>Password of the demo users (printed once on first start).</summary>
    public string UserPassword { get; set; } = "Octocom-demo-2026!";

    /// <summary>Random seed, so demo data (and benchmarks) are reproducible.</summary>
    public int RandomSeed { get; set; } = 20261123;
}
