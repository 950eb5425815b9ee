using System.Reflection;
using Octocom.Dashboard.Bench;

var benchmarks = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name)
    .ToList();

var name = args.FirstOrDefault();
if (name is null or "-h" or "--help" || (name != "all" && benchmarks.All(b => b.Name != name)))
{
    Console.WriteLine("usage: dotnet run -c Release --project Octocom.Dashboard.Bench -- <benchmark|all> [options]");
    foreach (var b in benchmarks) Console.WriteLine($"  {b.Name,-12} {b.Description}");
    return name is null or "-h" or "--help" ? 0 : 1;
}

var context = new BenchContext(args.Skip(1).ToArray());
foreach (var benchmark in benchmarks.Where(b => name == "all" || b.Name == name))
{
    Console.WriteLine($"== {benchmark.Name}: {benchmark.Description}");
    await benchmark.RunAsync(context, CancellationToken.None);
    Console.WriteLine();
}
try { Directory.Delete(context.WorkDir, true); } catch (IOException) { }
return 0;
