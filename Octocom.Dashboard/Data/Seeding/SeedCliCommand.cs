using System.CommandLine;
using Octocom.Dashboard.Cli;

namespace Octocom.Dashboard.Data.Seeding;

/// <summary><c>seed --size N</c>: adds N synthetic conversations (with metadata) for benchmarks and load tests.</summary>
public sealed class SeedCliCommand : ICliCommand
{
    public Command Build(IServiceProvider services)
    {
        var size = new Option<int>("--size", "--seed-size") { Description = "Number of conversations to add", DefaultValueFactory = _ => 10_000 };
        var metadata = new Option<int>("--metadata") { Description = "Metadata pairs per conversation (max 12)", DefaultValueFactory = _ => 10 };
        var organization = new Option<string?>("--organization") { Description = "Organization slug (default: the first, 'demo')" };
        var command = new Command("seed", "Add synthetic conversations in bulk (benchmarks)") { size, metadata, organization };
        command.SetAction(async (result, ct) =>
        {
            var seeded = await services.GetRequiredService<BulkConversationSeeder>()
                .SeedAsync(result.GetValue(size), result.GetValue(metadata), result.GetValue(organization), ct: ct);
            Console.WriteLine($"Seeded {seeded.Conversations:N0} conversations and {seeded.MetadataRows:N0} metadata rows in {seeded.Elapsed.TotalSeconds:N1} s.");
            return 0;
        });
        return command;
    }
}
