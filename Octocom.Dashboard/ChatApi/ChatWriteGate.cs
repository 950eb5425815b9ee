using Microsoft.Extensions.Options;
using Octocom.Dashboard.Data;

namespace Octocom.Dashboard.ChatApi;

/// <summary>
/// Lets one chat write transaction at a time into a database that has a single writer (<see cref="IDatabaseDialect.HasSingleWriter"/>:
/// SQLite), unless <see cref="ChatApiOptions.SerializeWrites"/> is off. Waiting here is an async queue; waiting in
/// SQLite's busy handler is a sleep of up to 100 ms per retry. On a database with row locks the gate is always open.
/// </summary>
public sealed class ChatWriteGate(IOptions<ChatApiOptions> options, IDatabaseDialect dialect)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly bool _enabled = options.Value.SerializeWrites && dialect.HasSingleWriter;

    public async ValueTask<IDisposable> EnterAsync(CancellationToken ct)
    {
        if (!_enabled) return NoLock.Instance;
        await _gate.WaitAsync(ct);
        return new Releaser(_gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _released;
        public void Dispose() { if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release(); }
    }

    private sealed class NoLock : IDisposable
    {
        public static readonly NoLock Instance = new();
        public void Dispose() { }
    }
}
