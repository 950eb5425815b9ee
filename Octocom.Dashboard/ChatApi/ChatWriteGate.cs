using Microsoft.Extensions.Options;

namespace Octocom.Dashboard.ChatApi;

/// <summary>
/// Lets one chat write transaction at a time into the database (see <see cref="ChatApiOptions.SerializeWrites"/>).
/// Waiting here is an async queue; waiting in SQLite's busy handler is a sleep of up to 100 ms per retry.
/// </summary>
public sealed class ChatWriteGate(IOptions<ChatApiOptions> options)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly bool _enabled = options.Value.SerializeWrites;

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
