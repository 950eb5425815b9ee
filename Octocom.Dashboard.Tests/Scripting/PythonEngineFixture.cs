using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Scripting;

/// <summary>
/// One real engine (two warm, sandboxed python3 workers) inside a real app over a fresh SQLite file, shared by the
/// engine test classes so the workers start once. Tests pass short limits so a bad script costs at most a second.
/// </summary>
public sealed class PythonEngineFixture : IAsyncLifetime
{
    /// <summary>Set in the test process before the engine starts; a script must never see it.</summary>
    public const string HostSecretVariable = "OCTOCOM_TEST_HOST_SECRET";
    public const string HostSecretValue = "host-env-secret-4f1c9a";
    public const int PoolSize = 2;

    public TestApp App { get; private set; } = default!;
    public PythonScriptEngine Engine { get; private set; } = default!;

    public static ScriptLimits Limits(double timeoutSeconds = 5, int memoryMb = 256, int cpuSeconds = 5, int maxProcesses = 8,
        int maxOutputBytes = 64 * 1024, int maxResultBytes = 1024 * 1024) =>
        new(TimeSpan.FromSeconds(timeoutSeconds), memoryMb * 1024L * 1024L, cpuSeconds, maxProcesses, maxOutputBytes, maxResultBytes);

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(HostSecretVariable, HostSecretValue);
        App = await TestApp.CreateAsync(settings: new Dictionary<string, string?> { ["Scripting:PoolSize"] = PoolSize.ToString() });
        Engine = App.Services.GetRequiredService<PythonScriptEngine>();
        Assert.True(Engine.Status.Available, Engine.Status.Description);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>A small seed-000 context (sidebar widget shape) for tests that do not need the database.</summary>
    public static JsonObject SampleContext() => new()
    {
        ["conversation"] = new JsonObject
        {
            ["id"] = "6a05d0ec-6a78-43fa-805b-3cc59d9c5b19", ["publicId"] = "A1B2C3", ["subject"] = "Where is my order?",
            ["businessSlug"] = "acme-shop", ["initialChannel"] = "web", ["latestChannel"] = "web",
            ["messages"] = new JsonArray(new JsonObject
            {
                ["sender"] = "customer", ["timestamp"] = "2026-11-23T10:00:00.000Z", ["content"] = "Hi", ["channel"] = "web",
            }),
        },
        ["business"] = new JsonObject { ["name"] = "Acme", ["slug"] = "acme-shop" },
        ["customer"] = null,
        ["browser_session"] = null,
    };

    public Task<ScriptResult> RunAsync(string code, ScriptLimits? limits = null, FunctionKind kind = FunctionKind.SidebarWidget,
        IReadOnlyDictionary<string, string>? secrets = null, IReadOnlyDictionary<string, string>? metadata = null,
        JsonObject? context = null, CancellationToken ct = default) =>
        Engine.RunAsync(new ScriptRequest
        {
            Kind = kind,
            Code = code,
            Context = context ?? SampleContext(),
            Limits = limits ?? Limits(),
            Secrets = secrets ?? new Dictionary<string, string>(),
            Metadata = metadata ?? new Dictionary<string, string>(),
            FileName = "CRM.py",
        }, ct);

    /// <summary>The pool still serves a normal run after whatever the test did to it.</summary>
    public async Task AssertNextRunSucceedsAsync()
    {
        var result = await RunAsync("def get_sidebar_data(context):\n    return {'ok': context['conversation']['publicId']}\n");
        Assert.True(result.Status == ScriptRunStatus.Ok, $"{result.Status}: {result.Error?.Message}");
        Assert.Equal("A1B2C3", (string?)result.Result!["ok"]);
    }
}

[CollectionDefinition(Name)]
public sealed class PythonEngineCollection : ICollectionFixture<PythonEngineFixture>
{
    public const string Name = "Python engine";
}
