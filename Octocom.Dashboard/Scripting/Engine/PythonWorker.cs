using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace Octocom.Dashboard.Scripting.Engine;

/// <summary>A call from the script to the dashboard (LLM, Sheets): method and params in, a JSON value out.</summary>
public delegate Task<JsonNode?> HostCallHandler(string method, JsonObject parameters, CancellationToken ct);

/// <summary>How one run on a worker ended, before it is turned into a <see cref="ScriptResult"/>.</summary>
public sealed record WorkerOutcome(WorkerOutcomeKind Kind, JsonObject? Frame = null, ExitNotice? Exit = null, string? Reason = null);

public enum WorkerOutcomeKind
{
    /// <summary>The run's process sent its result frame.</summary>
    Result,
    /// <summary>The run's process ended without a result (os._exit, a signal, a crash).</summary>
    Died,
    /// <summary>The wall-clock backstop passed: the script ignored its own timeout.</summary>
    Deadline,
    Cancelled,
    /// <summary>The worker itself is gone or its channel broke.</summary>
    WorkerLost,
}

/// <summary>
/// One warm worker process (see worker_host.py): sends it run requests, answers its helper calls, and follows its
/// notices. Two dedicated threads read stdout (frames) and stderr (notices); everything else is async.
/// </summary>
public sealed class PythonWorker : IAsyncDisposable
{
    private static int _ids;
    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly bool _ownsProcessGroup;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TaskCompletionSource _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _diagnostics = new();
    private readonly Thread _stderrReader;
    private ActiveRun? _run;
    private TaskCompletionSource<ExitNotice?> _exitNotice = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopping;
    private int _disposed;

    private PythonWorker(Process process, bool ownsProcessGroup, int? uid, ILogger logger)
    {
        _process = process;
        _stdin = process.StandardInput.BaseStream;
        _ownsProcessGroup = ownsProcessGroup;
        _logger = logger;
        Uid = uid;
        Id = Interlocked.Increment(ref _ids);
        _stderrReader = StartReader($"octocom-worker-{Id}-err", ReadNotices);
        StartReader($"octocom-worker-{Id}-out", ReadFrames);
    }

    public int Id { get; }
    public int? Uid { get; }
    public int ProcessId => _process.Id;
    public int Runs { get; private set; }
    public bool IsAlive => !_lost.Task.IsCompleted && _stopping == 0;

    /// <summary>The last lines the interpreter wrote to stderr outside the protocol (start-up errors).</summary>
    public string Diagnostics
    {
        get { lock (_diagnostics) return string.Join('\n', _diagnostics); }
    }

    /// <summary>Starts a worker and waits until it has imported its modules and forked its first run process.</summary>
    public static async Task<PythonWorker> StartAsync(WorkerLaunchPlan plan, string hostSource, int? uid, ILogger logger,
        TimeSpan startTimeout, CancellationToken ct)
    {
        Process process;
        try { process = await ProcessLauncher.StartAsync(plan.CreateStartInfo(uid, hostSource)); }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new WorkerStartException($"The worker process could not be started: {e.Message}");
        }
        var worker = new PythonWorker(process, plan.SetsidPath is not null, uid, logger);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(startTimeout);
        try
        {
            await worker._hello.Task.WaitAsync(timeout.Token);
            return worker;
        }
        catch (Exception e) when (e is OperationCanceledException or WorkerStartException)
        {
            await worker.StopAsync(TimeSpan.Zero);
            ct.ThrowIfCancellationRequested();
            throw e is WorkerStartException
                ? new WorkerStartException($"The worker stopped while starting: {e.Message}")
                : new WorkerStartException($"The worker did not start within {startTimeout.TotalSeconds:0} s. {worker.Diagnostics}".Trim());
        }
    }

    /// <summary>
    /// Sends one request frame and waits for the run to end: its result, its process dying, the
    /// <paramref name="deadline"/> backstop, cancellation, or the worker being lost.
    /// </summary>
    public async Task<WorkerOutcome> RunAsync(byte[] request, HostCallHandler onCall, TimeSpan deadline, CancellationToken ct)
    {
        if (!IsAlive) return new WorkerOutcome(WorkerOutcomeKind.WorkerLost, Reason: "The worker had already stopped.");
        var run = new ActiveRun(onCall);
        _exitNotice = new TaskCompletionSource<ExitNotice?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _run, run);
        Runs++;
        using var timer = new CancellationTokenSource(deadline);
        await using var onDeadline = timer.Token.Register(() => run.Complete(new WorkerOutcome(WorkerOutcomeKind.Deadline)));
        await using var onCancel = ct.Register(() => run.Complete(new WorkerOutcome(WorkerOutcomeKind.Cancelled)));
        // A frame larger than the pipe buffer is written only as fast as the run process reads it; write it off the
        // caller's thread so a deadline or cancellation still ends the run if the worker never reads.
        var write = request.Length < LargeFrameBytes ? WriteFrameAsync(request) : Task.Run(() => WriteFrameAsync(request));
        _ = write.ContinueWith(t => run.Complete(new WorkerOutcome(WorkerOutcomeKind.WorkerLost,
                Reason: $"Writing to the worker failed: {t.Exception?.GetBaseException().Message}")),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var outcome = await run.Task;
        run.EndCalls();
        return outcome;
    }

    /// <summary>After a run: waits for the worker's notice that the run's process is gone and the next one is ready.</summary>
    public async Task<ExitNotice?> WaitUntilReadyAsync(TimeSpan timeout)
    {
        try { return await _exitNotice.Task.WaitAsync(timeout); }
        catch (TimeoutException) { return null; }
    }

    /// <summary>SIGTERM to the worker's process group, then SIGKILL after <paramref name="grace"/>. Safe to call more than once.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        Interlocked.Exchange(ref _stopping, 1);
        try
        {
            if (!_process.HasExited)
            {
                Signal(Sigterm);
                try { await _process.WaitForExitAsync().WaitAsync(grace); }
                catch (TimeoutException) { }
                if (!_process.HasExited) Signal(Sigkill);
            }
        }
        catch (InvalidOperationException) { } // already disposed by a concurrent stop
        Volatile.Read(ref _run)?.Complete(new WorkerOutcome(WorkerOutcomeKind.WorkerLost, Reason: "The worker was stopped."));
        _exitNotice.TrySetResult(null);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await StopAsync(TimeSpan.FromMilliseconds(200));
        _process.Dispose();
    }

    // ---------------------------------------------------------------------------------------------------- channel I/O

    /// <summary>One synchronous write: the pipe takes small frames at once, and a large one only waits for the worker to read it.</summary>
    private async Task WriteFrameAsync(byte[] payload)
    {
        var frame = new byte[payload.Length + 4];
        WorkerProtocol.Header(payload.Length).CopyTo(frame, 0);
        payload.CopyTo(frame, 4);
        await _writeLock.WaitAsync();
        try
        {
            _stdin.Write(frame);
            _stdin.Flush();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private Thread StartReader(string name, Action body)
    {
        var thread = new Thread(() =>
        {
            try { body(); }
            catch (Exception e) { Lose($"The worker's channel broke: {e.Message}"); }
        }) { IsBackground = true, Name = name };
        thread.Start();
        return thread;
    }

    private void ReadFrames()
    {
        var stdout = _process.StandardOutput.BaseStream;
        while (WorkerProtocol.ReadFrame(stdout) is { } frame)
        {
            var run = Volatile.Read(ref _run);
            switch ((string?)frame["type"])
            {
                case "call" when run is not null:
                    _ = AnswerCallAsync(run, frame);
                    break;
                case "result" when run is not null:
                    run.Complete(new WorkerOutcome(WorkerOutcomeKind.Result, frame));
                    break;
                default:
                    throw new InvalidDataException($"Unexpected frame '{frame["type"]}'.");
            }
        }
        _stderrReader.Join(TimeSpan.FromMilliseconds(500)); // so the reason the interpreter printed is part of the message
        var exitCode = _process.WaitForExit(500) ? $" with code {_process.ExitCode}" : "";
        Lose($"The worker process exited{exitCode}." + (Diagnostics.Length > 0 ? " " + Diagnostics : ""));
    }

    private void ReadNotices()
    {
        var reader = new NoticeReader(_process.StandardError.BaseStream);
        while (reader.ReadLine() is { } line)
        {
            if (!NoticeReader.IsNotice(line))
            {
                var text = Encoding.UTF8.GetString(line);
                lock (_diagnostics)
                {
                    _diagnostics.Enqueue(text);
                    while (_diagnostics.Count > 20) _diagnostics.Dequeue();
                }
                _logger.LogWarning("Python worker {Worker}: {Line}", Id, text);
                continue;
            }
            var notice = JsonNode.Parse(line.AsSpan(WorkerProtocol.NoticePrefix.Length)) as JsonObject
                ?? throw new InvalidDataException("A notice is not a JSON object.");
            switch ((string?)notice["event"])
            {
                case "hello":
                    _hello.TrySetResult();
                    break;
                case "exit":
                    var exit = ExitNotice.Parse(notice, reader);
                    if (!exit.ResultSent)
                        Volatile.Read(ref _run)?.Complete(new WorkerOutcome(WorkerOutcomeKind.Died, Exit: exit));
                    _exitNotice.TrySetResult(exit);
                    break;
            }
        }
    }

    private async Task AnswerCallAsync(ActiveRun run, JsonObject frame)
    {
        var id = frame["id"]?.GetValue<int>() ?? 0;
        JsonObject reply;
        try
        {
            var value = await run.OnCall((string?)frame["method"] ?? "", frame["params"] as JsonObject ?? [], run.CallsEnded);
            reply = new JsonObject { ["type"] = "reply", ["id"] = id, ["ok"] = true, ["value"] = value };
        }
        catch (Exception e) when (e is not OperationCanceledException || !run.CallsEnded.IsCancellationRequested)
        {
            reply = new JsonObject { ["type"] = "reply", ["id"] = id, ["ok"] = false, ["error"] = e.Message };
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (!ReferenceEquals(Volatile.Read(ref _run), run) || run.Task.IsCompleted) return;
        try { await WriteFrameAsync(Encoding.UTF8.GetBytes(reply.ToJsonString())); }
        catch (IOException) { }
    }

    private void Lose(string reason)
    {
        if (_lost.TrySetResult())
            Volatile.Read(ref _run)?.Complete(new WorkerOutcome(WorkerOutcomeKind.WorkerLost, Reason: reason));
        _hello.TrySetException(new WorkerStartException(reason));
        _exitNotice.TrySetResult(null);
    }

    // ------------------------------------------------------------------------------------------------------- signals

    private const int LargeFrameBytes = 60 * 1024;
    private const int Sigkill = 9;
    private const int Sigterm = 15;

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    private static extern int SysKill(int pid, int signal);

    /// <summary>The worker was started through setsid, so its pid is its process group: the signal reaches bwrap and everything inside.</summary>
    private void Signal(int signal)
    {
        if (_ownsProcessGroup) SysKill(-_process.Id, signal);
        SysKill(_process.Id, signal);
    }

    private sealed class ActiveRun(HostCallHandler onCall)
    {
        private readonly TaskCompletionSource<WorkerOutcome> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _calls = new();

        public HostCallHandler OnCall { get; } = onCall;
        public Task<WorkerOutcome> Task => _done.Task;
        public CancellationToken CallsEnded => _calls.Token;

        public void Complete(WorkerOutcome outcome) => _done.TrySetResult(outcome);

        public void EndCalls()
        {
            try { _calls.Cancel(); } catch (ObjectDisposedException) { }
        }
    }
}

public sealed class WorkerStartException(string message) : Exception(message);
