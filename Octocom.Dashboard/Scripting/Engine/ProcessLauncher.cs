using System.Collections.Concurrent;
using System.Diagnostics;

namespace Octocom.Dashboard.Scripting.Engine;

/// <summary>
/// Starts worker processes from one dedicated thread that lives as long as the app. bubblewrap's --die-with-parent
/// uses PR_SET_PDEATHSIG, which fires when the *thread* that forked bwrap exits — and thread-pool threads retire
/// whenever the pool shrinks, which would SIGKILL healthy workers at random. A thread that never exits makes the
/// signal mean what it should: the dashboard process is gone.
/// </summary>
public static class ProcessLauncher
{
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> Queue = new();

    static ProcessLauncher()
    {
        new Thread(() =>
        {
            foreach (var (info, started) in Queue.GetConsumingEnumerable())
            {
                try { started.TrySetResult(Process.Start(info) ?? throw new InvalidOperationException("The process did not start.")); }
                catch (Exception e) { started.TrySetException(e); }
            }
        }) { IsBackground = true, Name = "octocom-process-launcher" }.Start();
    }

    public static Task<Process> StartAsync(ProcessStartInfo info)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add((info, started));
        return started.Task;
    }
}
