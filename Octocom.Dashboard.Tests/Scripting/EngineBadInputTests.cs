using Octocom.Dashboard.Scripting;

namespace Octocom.Dashboard.Tests.Scripting;

/// <summary>
/// Every bad input from the engine issue, against real python3: each gets the right status and a readable message,
/// the host stays up, and the next run on the pool succeeds.
/// </summary>
[Collection(PythonEngineCollection.Name)]
public sealed class EngineBadInputTests(PythonEngineFixture engine)
{
    [Fact]
    public async Task Run_SyntaxError_ReportsErrorWithLineNumber()
    {
        var result = await engine.RunAsync("def get_sidebar_data(context):\n    x = 1\n    return {'a': 1\n\nprint('unreachable')\n");

        Assert.Equal(ScriptRunStatus.Error, result.Status);
        Assert.Equal("SyntaxError", result.Error!.Type);
        Assert.Equal(3, result.Error.Line);
        Assert.Contains("never closed", result.Error.Message);
        Assert.Contains("CRM.py", result.Error.Traceback);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_ExceptionAtLineN_ReportsUserLineAndHidesHostFrames()
    {
        var result = await engine.RunAsync(
            "def lookup(order):\n    return order['missing']\n\ndef get_sidebar_data(context):\n    order = {}\n    return lookup(order)\n");

        Assert.Equal(ScriptRunStatus.Error, result.Status);
        Assert.Equal("KeyError", result.Error!.Type);
        Assert.Equal(2, result.Error.Line);
        Assert.Contains("File \"CRM.py\", line 6, in get_sidebar_data", result.Error.Traceback);
        Assert.Contains("File \"CRM.py\", line 2, in lookup", result.Error.Traceback);
        Assert.DoesNotContain("octocom-host", result.Error.Traceback);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_MissingEntryFunction_NamesTheFunctionToDefine()
    {
        var result = await engine.RunAsync("def get_data(context):\n    return {}\n");

        Assert.Equal(ScriptRunStatus.Error, result.Status);
        Assert.Equal("EntryPointError", result.Error!.Type);
        Assert.Contains("def get_sidebar_data(context):", result.Error.Message);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_WrongSignature_ShowsExpectedAndActualSignature()
    {
        var result = await engine.RunAsync("import os\n\ndef get_sidebar_data(context, extra):\n    return {}\n");

        Assert.Equal(ScriptRunStatus.Error, result.Status);
        Assert.Equal("EntryPointError", result.Error!.Type);
        Assert.Equal(3, result.Error.Line);
        Assert.Contains("get_sidebar_data(context, extra)", result.Error.Message);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_InfiniteLoop_TimesOutAtTheLoopLine()
    {
        var result = await engine.RunAsync("def get_sidebar_data(context):\n    print('looping')\n    while True:\n        pass\n",
            PythonEngineFixture.Limits(timeoutSeconds: 1));

        Assert.Equal(ScriptRunStatus.Timeout, result.Status);
        Assert.Contains("within 1 s", result.Error!.Message);
        Assert.InRange(result.Error.Line ?? 0, 3, 4);
        Assert.Equal("looping\n", result.Stdout);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_InfiniteLoopThatIgnoresTheTimeoutSignal_IsKilledByTheBackstop()
    {
        var result = await engine.RunAsync(
            "import signal\n\ndef get_sidebar_data(context):\n    signal.signal(signal.SIGALRM, signal.SIG_IGN)\n    while True:\n        pass\n",
            PythonEngineFixture.Limits(timeoutSeconds: 0.5));

        Assert.Equal(ScriptRunStatus.Timeout, result.Status);
        Assert.Contains("did not stop", result.Error!.Message);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_BusyLoopOverTheCpuLimit_IsKilledForCpu()
    {
        var result = await engine.RunAsync("def get_sidebar_data(context):\n    print('spinning')\n    while True:\n        pass\n",
            PythonEngineFixture.Limits(timeoutSeconds: 30, cpuSeconds: 1));

        Assert.Equal(ScriptRunStatus.Killed, result.Status);
        Assert.Equal("CpuLimit", result.Error!.Type);
        Assert.Contains("the limit is 1 s", result.Error.Message);
        Assert.Equal("spinning\n", result.Stdout);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_Allocating10GB_IsKilledForMemory()
    {
        var result = await engine.RunAsync("def get_sidebar_data(context):\n    data = bytearray(10 * 1024 ** 3)\n    return len(data)\n",
            PythonEngineFixture.Limits(memoryMb: 256));

        Assert.Equal(ScriptRunStatus.Killed, result.Status);
        Assert.Equal("MemoryError", result.Error!.Type);
        Assert.Contains("256 MB", result.Error.Message);
        Assert.Equal(2, result.Error.Line);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_GrowingUntilOutOfMemory_IsKilledForMemory()
    {
        var result = await engine.RunAsync(
            "def get_sidebar_data(context):\n    chunks = []\n    while True:\n        chunks.append(b'x' * (1024 * 1024))\n",
            PythonEngineFixture.Limits(memoryMb: 64));

        Assert.Equal(ScriptRunStatus.Killed, result.Status);
        Assert.Equal("MemoryError", result.Error!.Type);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_ForkBomb_IsStoppedByTheProcessLimit()
    {
        Assert.DoesNotContain(engine.Engine.Status.Warnings, w => w.Contains("RLIMIT_NPROC"));

        var result = await engine.RunAsync("import os\n\ndef get_sidebar_data(context):\n    while True:\n        os.fork()\n",
            PythonEngineFixture.Limits(maxProcesses: 8));

        Assert.Equal(ScriptRunStatus.Killed, result.Status);
        Assert.Contains("Process limit", result.Error!.Message);
        Assert.Equal(5, result.Error.Line);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_OsExit_IsKilledWithTheExitCodeAndKeepsEarlierOutput()
    {
        var result = await engine.RunAsync("import os\n\ndef get_sidebar_data(context):\n    print('about to exit', flush=True)\n    os._exit(3)\n");

        Assert.Equal(ScriptRunStatus.Killed, result.Status);
        Assert.Equal("ProcessExit", result.Error!.Type);
        Assert.Contains("code 3", result.Error.Message);
        Assert.Equal("about to exit\n", result.Stdout);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_SysExit_IsAnErrorAskingForAReturnValue()
    {
        var result = await engine.RunAsync("import sys\n\ndef get_sidebar_data(context):\n    sys.exit()\n");

        Assert.Equal(ScriptRunStatus.Error, result.Status);
        Assert.Equal("SystemExit", result.Error!.Type);
        Assert.Contains("Return a value from get_sidebar_data", result.Error.Message);
        Assert.Equal(4, result.Error.Line);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_Printing100MB_IsTruncatedWithAMarker()
    {
        var result = await engine.RunAsync(
            "import sys\n\ndef get_sidebar_data(context):\n    chunk = 'x' * (1024 * 1024)\n    for _ in range(100):\n        print(chunk)\n    sys.stderr.write('e' * 100000)\n    return {'done': True}\n",
            PythonEngineFixture.Limits(maxOutputBytes: 10_000));

        Assert.Equal(ScriptRunStatus.Ok, result.Status);
        Assert.True(result.OutputTruncated);
        Assert.StartsWith(new string('x', 10_000), result.Stdout);
        Assert.Contains("[stdout truncated: the script wrote 104,857,700 bytes; the first 10,000 are shown]", result.Stdout);
        Assert.Contains("[stderr truncated", result.Stderr);
        Assert.True(result.Stdout.Length < 10_200);
        Assert.Equal(true, (bool?)result.Result!["done"]);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_RawWritesToFd1And2_AreCapturedNotMixedIntoTheProtocol()
    {
        var result = await engine.RunAsync(
            "import os, subprocess\n\ndef get_sidebar_data(context):\n    os.write(1, b'raw-out\\n')\n    os.write(2, b'raw-err\\n')\n    subprocess.run(['echo', 'child-out'])\n    return 'fine'\n");

        Assert.Equal(ScriptRunStatus.Ok, result.Status);
        Assert.Equal("fine", (string?)result.Result);
        Assert.Equal("raw-out\nchild-out\n", result.Stdout);
        Assert.Equal("raw-err\n", result.Stderr);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_GarbageWrittenToEveryOpenDescriptor_CostsOnlyThatRun()
    {
        var result = await engine.RunAsync(
            "import os\n\ndef get_sidebar_data(context):\n    for fd in range(3, 64):\n        try:\n            os.write(fd, b'\\xff\\xff\\xff\\xffgarbage')\n        except OSError:\n            pass\n    return 'survived'\n");

        Assert.Equal(ScriptRunStatus.Killed, result.Status);
        Assert.Contains("channel", result.Error!.Message);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_NonJsonSerializableResult_IsInvalidNamingThePath()
    {
        var result = await engine.RunAsync(
            "import datetime\n\ndef get_sidebar_data(context):\n    return {'items': [{'when': datetime.datetime(2026, 1, 1)}]}\n");

        Assert.Equal(ScriptRunStatus.Invalid, result.Status);
        Assert.Equal("ResultNotSerializable", result.Error!.Type);
        Assert.Contains("result['items'][0]['when'] is a datetime", result.Error.Message);
        Assert.Null(result.Result);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_Returning50MB_IsInvalidNamingTheLimit()
    {
        var result = await engine.RunAsync("def get_sidebar_data(context):\n    return 'x' * (50 * 1024 * 1024)\n",
            PythonEngineFixture.Limits(maxResultBytes: 1024 * 1024));

        Assert.Equal(ScriptRunStatus.Invalid, result.Status);
        Assert.Equal("ResultTooLarge", result.Error!.Type);
        Assert.Contains("52,428,802 bytes", result.Error.Message);
        Assert.Contains("1,048,576", result.Error.Message);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_ReadingTheAppDatabase_IsDenied()
    {
        Assert.True(File.Exists(engine.App.DatabasePath));

        var result = await engine.RunAsync(
            $"def get_sidebar_data(context):\n    with open({Py(engine.App.DatabasePath)}, 'rb') as f:\n        return f.read(16).decode('latin-1')\n");

        Assert.Equal(ScriptRunStatus.Error, result.Status);
        Assert.Contains(result.Error!.Type, new[] { "FileNotFoundError", "PermissionError" });
        Assert.Equal(2, result.Error.Line);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_ReadingTheHostsEnviron_IsDeniedAndTheEnvironmentIsClean()
    {
        var result = await engine.RunAsync(
            $"import os\n\ndef get_sidebar_data(context):\n    print(sorted(os.environ))\n    print({Py(PythonEngineFixture.HostSecretValue)} in str(os.environ))\n" +
            $"    with open('/proc/{Environment.ProcessId}/environ', 'rb') as f:\n        return f.read().decode('latin-1')\n");

        Assert.Equal(ScriptRunStatus.Error, result.Status);
        Assert.Contains(result.Error!.Type, new[] { "FileNotFoundError", "PermissionError" });
        Assert.Equal(6, result.Error.Line);
        Assert.Contains("False", result.Stdout);
        Assert.DoesNotContain(PythonEngineFixture.HostSecretVariable, result.Stdout);
        Assert.DoesNotContain("ConnectionString", result.Stdout);
        await engine.AssertNextRunSucceedsAsync();
    }

    [Fact]
    public async Task Run_ReadingTheAppFolder_FindsNothing()
    {
        var result = await engine.RunAsync(
            $"import os\n\ndef get_sidebar_data(context):\n    return [os.path.exists(p) for p in ({Py(AppContext.BaseDirectory)}, {Py(engine.App.Directory.Path)}, '/root', '/home')]\n");

        Assert.Equal(ScriptRunStatus.Ok, result.Status);
        Assert.Equal("[false,false,false,false]", result.Result!.ToJsonString());
    }

    [Fact]
    public async Task Run_ScriptProcess_IsFirstForTheOomKillerAndCannotBeTraced()
    {
        var result = await engine.RunAsync(
            "import ctypes, os\n\ndef get_sidebar_data(context):\n    with open('/proc/self/oom_score_adj') as f:\n        oom = int(f.read())\n" +
            "    return [oom, ctypes.CDLL(None).prctl(3, 0, 0, 0, 0), os.getuid() != 0]\n");

        Assert.True(result.Status == ScriptRunStatus.Ok, result.Error?.Message);
        Assert.Equal("[1000,0,true]", result.Result!.ToJsonString());
    }

    private static string Py(string value) => "'" + value.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
}
