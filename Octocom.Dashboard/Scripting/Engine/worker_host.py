# Octocom script worker host. The dashboard starts it (inside the sandbox) as
#     python3 -I -c "<bootstrap>" <this source> <config JSON>
# and talks to it over stdin/stdout with length-prefixed JSON frames. docs/scripting.md describes the protocol.
#
# Process model ("zygote"): this process imports the heavy modules once, then forks one child per run *before* the
# run's request arrives. The child reads the request from stdin, runs the user's code with its own rlimits, writes one
# result frame to the protocol channel and exits; the zygote reaps it, kills anything the script left behind, forks the
# next child and reports the exit on stderr. So every run starts from the same clean interpreter (fresh globals and
# fresh module state), a crash only ever takes down the child, and the zygote never holds a tenant's data: requests,
# contexts and secrets only exist in the child that ran them.
import ast
import builtins
import datetime
import errno
import gc
import inspect
import io
import json
import linecache
import mmap
import os
import resource
import select
import signal
import struct
import sys
import threading
import traceback

HOST_FILE = "<octocom-host>"          # the filename this source is compiled with: its frames are hidden from tracebacks
NOTICE = b"\x1eOCTO "                  # prefix of the zygote's notices on stderr
FILE_SIZE_LIMIT = 64 * 1024 * 1024     # RLIMIT_FSIZE: any one file (and raw writes to fd 1/2) a script writes
MAX_FRAME = 512 * 1024 * 1024

CONFIG = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}


def _verify_confinement(config):
    """
    kill(-1) ("every process we may signal") is how leftovers are swept, and it is only safe when this process has its
    own pid namespace or its own uid. The dashboard says which it set up; believe it only after checking, because the
    same call from a root process without a namespace would kill every process on the machine.
    """
    if config.get("pidNamespace") and os.getpid() <= 3 and os.getppid() == 1:
        return True
    expected_uid = config.get("uid")
    return expected_uid is not None and expected_uid != 0 and os.getuid() == expected_uid and os.geteuid() == expected_uid


CONFINED = _verify_confinement(CONFIG)
RELAY_LIMIT = int(CONFIG.get("relayBytes", 1024 * 1024))

_PROTO_OUT = -1
_DEVNULL = -1
_CURRENT_CHILD = 0
_BASE_TASKS = 1
_RELAY_BUFFER = bytearray(64 * 1024)
# Address space reserved once in the zygote and never touched (so it costs forks nothing): a run that hits its memory
# limit unmaps it, which leaves room under RLIMIT_AS to format and report the MemoryError.
_RESERVE = [mmap.mmap(-1, 4 * 1024 * 1024)]


def _release_reserve():
    while _RESERVE:
        _RESERVE.pop().close()


# ---------------------------------------------------------------------------------------------------------------- framing

def write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_exact(fd, n):
    chunks, remaining = [], n
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError("protocol channel closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_frame(fd):
    (length,) = struct.unpack(">I", read_exact(fd, 4))
    if length > MAX_FRAME:
        raise ValueError("frame too large")
    return json.loads(read_exact(fd, length))


def write_frame_bytes(fd, payload):
    write_all(fd, struct.pack(">I", len(payload)) + payload)


def write_frame(fd, obj):
    write_frame_bytes(fd, json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace"))


def notice(obj):
    write_all(2, NOTICE + json.dumps(obj, separators=(",", ":")).encode() + b"\n")


# ----------------------------------------------------------------------------------------------------------------- zygote

def main():
    global _PROTO_OUT, _DEVNULL, _BASE_TASKS
    _PROTO_OUT = os.dup(1)                 # the real stdout becomes the private protocol channel (not inheritable)
    _DEVNULL = os.open(os.devnull, os.O_RDWR)
    os.dup2(_DEVNULL, 1)                   # nothing printed by this process can reach the channel
    _raise_oom_score()
    _make_undumpable()
    _preload(CONFIG.get("preload", []))
    signal.signal(signal.SIGTERM, _on_terminate)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _BASE_TASKS = _count_own_tasks()
    gc.collect()
    gc.freeze()                            # keep the GC from touching (and copying) inherited objects in children

    previous = None
    while True:
        run = _fork_child(previous)
        if previous is None:
            notice({"event": "hello", "pid": os.getpid(), "uid": os.getuid(), "python": sys.version.split()[0],
                    "modules": sorted(m for m in CONFIG.get("preload", []) if m in sys.modules)})
        else:
            _report_exit(*previous)
        previous = _wait_for(run)


def _fork_child(previous):
    global _CURRENT_CHILD
    out_fd = os.memfd_create("stdout", 0)
    err_fd = os.memfd_create("stderr", 0)
    flag = mmap.mmap(-1, 1)                # shared page: the child sets it after its result frame is fully written
    pid = os.fork()
    if pid == 0:
        try:
            if previous is not None:
                previous[5].close()        # the previous run's flag; its capture files are closed below
            _close_other_fds({0, 1, 2, _PROTO_OUT, _DEVNULL, out_fd, err_fd})
            Child(out_fd, err_fd, flag).main()
        finally:
            os._exit(70)
    _CURRENT_CHILD = pid
    return pid, out_fd, err_fd, flag


def _close_other_fds(keep):
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def _wait_for(run):
    pid, out_fd, err_fd, flag = run
    pidfd = os.pidfd_open(pid) if hasattr(os, "pidfd_open") else None
    poller = select.poll()
    poller.register(0, 0)                  # no events requested: only POLLHUP/POLLERR when the dashboard goes away
    if pidfd is not None:
        poller.register(pidfd, select.POLLIN)
    while True:
        events = poller.poll(None if pidfd is not None else 50)
        if any(fd == 0 and ev & (select.POLLHUP | select.POLLERR) for fd, ev in events):
            _sweep(pid)
            os._exit(0)
        if pidfd is not None and events:
            break
        if pidfd is None and os.waitpid(pid, os.WNOHANG)[0] == pid:
            break
    if pidfd is not None:
        os.close(pidfd)
    try:
        _, status, usage = os.wait4(pid, 0)
    except ChildProcessError:
        status, usage = 0, None
    _sweep(pid)
    return pid, status, usage, out_fd, err_fd, flag


def _report_exit(pid, status, usage, out_fd, err_fd, flag):
    result_sent = flag[0] == 1
    info = {"event": "exit", "resultSent": result_sent,
            "exitCode": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "cpuSeconds": round(usage.ru_utime + usage.ru_stime, 3) if usage else None,
            "maxRssKb": usage.ru_maxrss if usage else None}
    sizes = []
    if not result_sent:
        # The child died before reporting: relay what it printed (raw bytes, through a fixed buffer, so no copy of
        # the tenant's output stays behind in this process's heap).
        for fd in (out_fd, err_fd):
            total = os.fstat(fd).st_size
            sizes.append((fd, total, min(total, RELAY_LIMIT)))
        info["stdoutBytes"], info["stdoutSent"] = sizes[0][1], sizes[0][2]
        info["stderrBytes"], info["stderrSent"] = sizes[1][1], sizes[1][2]
    notice(info)
    for fd, _, sent in sizes:
        _relay(fd, sent)
    os.close(out_fd)
    os.close(err_fd)
    flag.close()


def _relay(fd, count):
    view = memoryview(_RELAY_BUFFER)
    offset = 0
    while offset < count:
        n = os.preadv(fd, [view[:min(len(view), count - offset)]], offset)
        if n <= 0:
            write_all(2, bytes(count - offset))   # the file shrank: keep the announced length
            break
        write_all(2, view[:n])
        offset += n
    _RELAY_BUFFER[:] = bytes(len(_RELAY_BUFFER))


def _sweep(child_pid):
    """Kill everything the run left behind (daemonised grandchildren, fork bombs)."""
    for _ in range(200):
        try:
            if CONFINED:
                os.kill(-1, signal.SIGKILL)        # all our uid's processes in our pid namespace, except us
            else:
                os.killpg(child_pid, signal.SIGKILL)
        except ProcessLookupError:
            break
        except PermissionError:
            break
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                break
        except ChildProcessError:
            break


def _on_terminate(signum, frame):
    if CONFINED or _CURRENT_CHILD:
        _sweep(_CURRENT_CHILD)
    os._exit(0)


def _raise_oom_score():
    try:
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass


def _make_undumpable():
    # A script running as the same uid must not be able to ptrace this process or read /proc/<zygote>/mem.
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)   # PR_SET_DUMPABLE, 0
    except Exception:
        pass


def _preload(modules):
    for name in modules:
        try:
            __import__(name)
            if name == "holidays":
                _holiday_class("US")
        except Exception:
            pass


def _count_own_tasks():
    uid, count = os.getuid(), 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.stat("/proc/" + entry).st_uid == uid:
                count += len(os.listdir("/proc/%s/task" % entry))
        except OSError:
            pass
    return max(count, 1)


# ------------------------------------------------------------------------------------------------------------------ child

class HelperError(Exception):
    """Raised by Octocom's helper functions when they cannot do what was asked."""


class ScriptTimeout(BaseException):
    """Raised in the script when its time is up (a BaseException, so `except Exception` does not swallow it)."""


HelperError.__module__ = ScriptTimeout.__module__ = "builtins"


def _on_alarm(signum, frame):
    raise ScriptTimeout()


class Child:
    def __init__(self, out_fd, err_fd, flag):
        self.out_fd, self.err_fd, self.flag = out_fd, err_fd, flag
        self.pid = os.getpid()
        self.channel_lock = threading.Lock()    # helper calls from several threads take turns on the channel

    def main(self):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        self.chan_in = os.dup(0)            # private, not inherited by programs the script starts
        self.chan_out = _PROTO_OUT
        os.dup2(_DEVNULL, 0)
        os.dup2(self.out_fd, 1)
        os.dup2(self.err_fd, 2)
        if not CONFINED:
            os.setpgid(0, 0)
        self._prime()
        request = read_frame(self.chan_in)
        frame = self.run(request)
        if os.getpid() != self.pid:         # a forked copy of the script finished: it must never report
            os._exit(0)
        with self.channel_lock:             # a thread the script left running may be in the middle of a helper call
            write_frame_bytes(self.chan_out, frame)
        self.flag[0] = 1
        os._exit(0)

    def _prime(self):
        """
        Runs a tiny built-in script through the whole run path while waiting for the request. A forked child pays a
        copy-on-write page fault for every interpreter page it first writes to (reference counts); doing that now,
        off the critical path, takes about a millisecond off each real run. No user code runs here.
        """
        try:
            frame = self.run(json.loads(_PRIME_REQUEST), prime=True)
            json.loads(frame)
        except Exception:
            pass
        for fd in (self.out_fd, self.err_fd):
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)

    # -- one run -----------------------------------------------------------------------------------------------------

    def run(self, req, prime=False):
        self.limits = req["limits"]
        self.file_name = req.get("fileName") or "script.py"
        self.entry = req["entryPoint"]
        self.kind_name = req.get("kindName") or "Script"
        self.state = RunState(self, req)
        self.stdout = CappedWriter(1, self.limits["maxOutputBytes"])
        self.stderr = CappedWriter(2, self.limits["maxOutputBytes"])
        sys.stdout = sys.__stdout__ = self.stdout
        sys.stderr = sys.__stderr__ = self.stderr
        if not prime:
            self._apply_limits()
            signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, max(0.001, float(self.limits["timeoutSeconds"])))
        try:
            status, result_json, error = self._execute(req)
        except MemoryError as e:
            _release_reserve()
            status, result_json, error = "killed", None, self._memory_error(e)
        except BaseException as e:   # noqa: B902 - the last line of defence: always report something
            status, result_json, error = self._status_for(e), None, self._exception_error(e)
        signal.setitimer(signal.ITIMER_REAL, 0)
        for stream in (self.stdout, self.stderr):
            stream.flush()
        return self._result_frame(status, result_json, error)

    def _execute(self, req):
        code = req["code"]
        linecache.cache[self.file_name] = (len(code), None, code.splitlines(True), self.file_name)
        try:
            compiled = compile(code, self.file_name, "exec", dont_inherit=True)
        except SyntaxError as e:
            return "error", None, self._syntax_error(e)
        except (ValueError, OverflowError, MemoryError) as e:
            return "error", None, {"type": type(e).__name__, "message": "The script cannot be compiled: %s" % e}
        if req.get("compileOnly"):
            return self._inspect(code)

        scope = {"__name__": "octocom_script", "__file__": self.file_name, "__builtins__": builtins}
        scope.update(self.state.helpers())
        context = req["context"]
        try:
            exec(compiled, scope)
            fn = scope.get(self.entry)
            problem = self._check_entry_point(fn, context)
            if problem:
                return "error", None, problem
            result = fn(context)
        except MemoryError:
            raise
        except BaseException as e:   # noqa: B902 - SystemExit and KeyboardInterrupt are script errors too
            return self._status_for(e), None, self._exception_error(e)
        return self._serialize(result)

    def _inspect(self, code):
        """
        Save-time check (compileOnly): the code compiled; now find the entry function in the syntax tree without
        running anything (module-level code may call APIs). Mirrors _check_entry_point's rules and messages.
        """
        signature = "def %s(context):" % self.entry
        found, assigned = None, False
        pending = list(ast.parse(code, self.file_name).body)
        while pending:
            node = pending.pop(0)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == self.entry:
                found = node
            elif isinstance(node, (ast.If, ast.Try, ast.With)):
                pending[:0] = [n for part in ("body", "orelse", "finalbody") for n in getattr(node, part, [])] + \
                              [n for h in getattr(node, "handlers", []) for n in h.body]
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.Import, ast.ImportFrom)):
                names = [a.asname or a.name for a in getattr(node, "names", [])]
                targets = getattr(node, "targets", None) or [getattr(node, "target", None)]
                names += [t.id for t in targets if isinstance(t, ast.Name)]
                assigned = assigned or self.entry in names
        if found is None:
            if assigned:
                return "ok", json.dumps({"entryPointLine": None}), None
            return "error", None, {
                "type": "EntryPointError",
                "message": "%s does not define %s(context). A %s must define the function `%s` and return its result."
                           % (self.file_name, self.entry, self.kind_name.lower(), signature)}
        line = found.lineno
        if isinstance(found, ast.AsyncFunctionDef):
            return "error", None, {"type": "EntryPointError", "line": line, "column": found.col_offset + 1,
                                   "message": "`%s` is declared `async def`; declare it as `%s`." % (self.entry, signature)}
        a = found.args
        positional = list(getattr(a, "posonlyargs", [])) + list(a.args)
        required = len(positional) - len(a.defaults)
        keyword_only_required = any(d is None for d in a.kw_defaults)
        accepts_one = required <= 1 and (positional or a.vararg) and not keyword_only_required
        if not accepts_one and not found.decorator_list:
            shown = "%s(%s)" % (self.entry, ast.unparse(a) if hasattr(ast, "unparse") else "...")
            return "error", None, {"type": "EntryPointError", "line": line, "column": found.col_offset + 1,
                                   "message": "`%s` must take exactly one argument, the context: `%s` (it is defined as `%s`)."
                                              % (self.entry, signature, shown)}
        return "ok", json.dumps({"entryPointLine": line}), None

    def _check_entry_point(self, fn, context):
        signature = "def %s(context):" % self.entry
        if fn is None:
            return {"type": "EntryPointError",
                    "message": "%s does not define %s(context). A %s must define the function `%s` and return its result."
                               % (self.file_name, self.entry, self.kind_name.lower(), signature)}
        if not callable(fn):
            return {"type": "EntryPointError",
                    "message": "`%s` is a %s, not a function. Define it as `%s`." % (self.entry, type(fn).__name__, signature)}
        line = getattr(getattr(fn, "__code__", None), "co_firstlineno", None)
        if inspect.iscoroutinefunction(fn):
            return {"type": "EntryPointError", "line": line,
                    "message": "`%s` is declared `async def`; declare it as `%s`." % (self.entry, signature)}
        try:
            inspect.signature(fn).bind(context)
        except TypeError:
            try:
                shown = "%s%s" % (self.entry, inspect.signature(fn))
            except (TypeError, ValueError):
                shown = self.entry
            return {"type": "EntryPointError", "line": line,
                    "message": "`%s` must take exactly one argument, the context: `%s` (it is defined as `%s`)."
                               % (self.entry, signature, shown)}
        except ValueError:
            pass
        return None

    def _serialize(self, result):
        try:
            text = json.dumps(result, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        except (TypeError, ValueError, RecursionError) as e:
            where = _find_unserializable(result, "result")
            return "invalid", None, {
                "type": "ResultNotSerializable",
                "message": "%s returned a value that cannot be converted to JSON: %s. Return only dicts, lists, "
                           "strings, numbers, booleans and None." % (self.entry, where or e)}
        size = len(text.encode("utf-8", "replace"))
        if size > self.limits["maxResultBytes"]:
            return "invalid", None, {
                "type": "ResultTooLarge",
                "message": "The result is %s bytes of JSON; the limit is %s bytes." % (
                    format(size, ","), format(self.limits["maxResultBytes"], ","))}
        return "ok", text, None

    def _apply_limits(self):
        lim = self.limits
        address_space = _vm_size() + int(lim["memoryBytes"])
        _set_limit(resource.RLIMIT_AS, address_space, address_space)
        cpu = int(lim["cpuSeconds"]) + 1     # +1 s: a single-threaded busy loop reaches the wall-clock timeout first
        _set_limit(resource.RLIMIT_CPU, cpu, cpu + 1)
        processes = _BASE_TASKS + 1 + int(lim["maxProcesses"])
        _set_limit(resource.RLIMIT_NPROC, processes, processes)
        _set_limit(resource.RLIMIT_FSIZE, FILE_SIZE_LIMIT, FILE_SIZE_LIMIT)
        _set_limit(resource.RLIMIT_CORE, 0, 0)

    # -- errors ------------------------------------------------------------------------------------------------------

    def _status_for(self, e):
        if isinstance(e, ScriptTimeout):
            return "timeout"
        if isinstance(e, BlockingIOError) and e.errno == errno.EAGAIN:
            return "killed"
        if isinstance(e, RuntimeError) and "can't start new thread" in str(e):
            return "killed"
        return "error"

    def _exception_error(self, e):
        te = traceback.TracebackException(type(e), e, e.__traceback__)
        _strip_host_frames(te)
        message = str(e)
        if isinstance(e, ScriptTimeout):
            message = "The script did not finish within %s s and was stopped." % format(float(self.limits["timeoutSeconds"]), "g")
            return {"type": "Timeout", "message": message, "traceback": "".join(te.format()),
                    "line": self._user_line(e.__traceback__)}
        if isinstance(e, SystemExit):
            message = ("The script called sys.exit(%s). Return a value from %s(context) instead of exiting."
                       % ("" if e.code is None else repr(e.code), self.entry))
        elif self._status_for(e) == "killed":
            message = ("Process limit reached: a run may start at most %d processes or threads (%s)."
                       % (self.limits["maxProcesses"], e))
        elif isinstance(e, HelperError):
            pass
        elif not message:
            message = type(e).__name__
        return {"type": type(e).__name__, "message": message, "traceback": "".join(te.format()),
                "line": self._user_line(e.__traceback__)}

    def _syntax_error(self, e):
        te = traceback.TracebackException(type(e), e, None)
        line = e.lineno if e.filename in (self.file_name, None, "<unknown>") else None
        column = e.offset if line is not None and isinstance(e.offset, int) and e.offset > 0 else None
        return {"type": type(e).__name__, "message": e.msg or "invalid syntax", "line": line, "column": column,
                "traceback": "".join(te.format_exception_only())}

    def _memory_error(self, e):
        gc.collect()
        line = self._user_line(e.__traceback__)
        e.__traceback__ = None
        return {"type": "MemoryError", "line": line,
                "message": "Memory limit exceeded: the script may allocate at most %d MB." % (
                    int(self.limits["memoryBytes"]) // (1024 * 1024))}

    def _user_line(self, tb):
        line = None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == self.file_name:
                line = tb.tb_lineno
            tb = tb.tb_next
        return line

    def _result_frame(self, status, result_json, error):
        out, out_total = self.stdout.captured(self.out_fd, self.limits["maxOutputBytes"])
        err, err_total = self.stderr.captured(self.err_fd, self.limits["maxOutputBytes"])
        head = {"type": "result", "status": status, "error": error,
                "stdout": out, "stdoutBytes": out_total, "stderr": err, "stderrBytes": err_total,
                "effects": self.state.effects}
        text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
        if result_json is not None:
            text = text[:-1] + ',"result":' + result_json + "}"
        return text.encode("utf-8", "replace")

    # -- calls to the dashboard ---------------------------------------------------------------------------------------

    def call_host(self, method, params):
        with self.channel_lock:
            self.state.call_id += 1
            call_id = self.state.call_id
            write_frame(self.chan_out, {"type": "call", "id": call_id, "method": method, "params": params})
            reply = read_frame(self.chan_in)
        if reply.get("type") != "reply" or reply.get("id") != call_id:
            raise HelperError("%s: unexpected reply from the dashboard" % method)
        if not reply.get("ok"):
            raise HelperError(reply.get("error") or "%s failed" % method)
        return reply.get("value")


_PRIME_REQUEST = json.dumps({
    "type": "run", "fileName": "prime.py", "entryPoint": "get_sidebar_data", "kindName": "Sidebar widget",
    "code": "def get_sidebar_data(context):\n    return {'title': context['conversation']['subject'], 'items': []}\n",
    "context": {"conversation": {"id": "0", "publicId": "PRIME", "subject": "prime", "businessSlug": "prime",
                                 "initialChannel": "web", "latestChannel": "web",
                                 "messages": [{"sender": "customer", "timestamp": "2026-01-01T00:00:00.000Z",
                                               "content": "prime", "channel": "web"}]},
                "business": {"name": "prime", "slug": "prime"}, "customer": None, "browser_session": None},
    "limits": {"timeoutSeconds": 1, "memoryBytes": 1, "cpuSeconds": 1, "maxProcesses": 0,
               "maxOutputBytes": 1024, "maxResultBytes": 1024},
    "metadata": {}, "secrets": {}, "services": {},
})


def _set_limit(which, soft, hard):
    try:
        cur_soft, cur_hard = resource.getrlimit(which)
        if cur_hard != resource.RLIM_INFINITY:
            hard = min(hard, cur_hard)
            soft = min(soft, hard)
        resource.setrlimit(which, (soft, hard))
    except (ValueError, OSError):
        pass


def _vm_size():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * resource.getpagesize()


def _strip_host_frames(te, seen=None):
    seen = seen if seen is not None else set()
    if te is None or id(te) in seen:
        return
    seen.add(id(te))
    te.stack = traceback.StackSummary.from_list([f for f in te.stack if f.filename != HOST_FILE])
    _strip_host_frames(te.__cause__, seen)
    _strip_host_frames(te.__context__, seen)


def _find_unserializable(value, path, depth=0):
    if depth > 200:
        return "%s is nested too deeply" % path
    if value is None or isinstance(value, (str, bool, int)):
        return None
    if isinstance(value, float):
        return None if value == value and value not in (float("inf"), float("-inf")) else \
            "%s is %r, which JSON cannot represent" % (path, value)
    if isinstance(value, dict):
        for key, item in value.items():
            if not (key is None or isinstance(key, (str, int, float, bool))):
                return "%s has a key of type %s (%r); keys must be strings" % (path, type(key).__name__, key)
            found = _find_unserializable(item, "%s[%r]" % (path, key), depth + 1)
            if found:
                return found
        return None
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            found = _find_unserializable(item, "%s[%d]" % (path, i), depth + 1)
            if found:
                return found
        return None
    hint = ""
    if isinstance(value, (datetime.date, datetime.time)):
        hint = " (use .isoformat())"
    elif isinstance(value, (set, frozenset)):
        hint = " (use a list)"
    elif isinstance(value, bytes):
        hint = " (decode it to a string)"
    return "%s is a %s%s" % (path, type(value).__name__, hint)


class CappedWriter(io.TextIOBase):
    """sys.stdout/sys.stderr of a run: writes through to the capture file until the cap, then only counts."""

    def __init__(self, fd, cap):
        super().__init__()
        self._fd, self._cap, self.written, self.dropped = fd, int(cap), 0, 0
        self.buffer = _CappedBinary(self)

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        self.write_bytes_from_text(s)
        return len(s)

    def write_bytes_from_text(self, s):
        room = self._cap - self.written
        if room <= 0:
            self.dropped += len(s)
            return
        data = s[:room].encode("utf-8", "replace")[:room]
        self._write_raw(data)
        self.dropped += max(0, len(s) - room)

    def _write_raw(self, data):
        try:
            write_all(self._fd, data)
            self.written += len(data)
        except OSError:
            self.dropped += len(data)

    def captured(self, fd, cap):
        total = os.fstat(fd).st_size
        data = os.pread(fd, min(total, cap), 0) if total else b""
        return data.decode("utf-8", "replace"), total + self.dropped

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "replace"

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        return self._fd

    def flush(self):
        pass


class _CappedBinary:
    def __init__(self, owner):
        self._owner = owner

    def write(self, b):
        data = bytes(b)
        room = self._owner._cap - self._owner.written
        if room <= 0:
            self._owner.dropped += len(data)
        else:
            self._owner._write_raw(data[:room])
            self._owner.dropped += max(0, len(data) - room)
        return len(data)

    def flush(self):
        pass

    def writable(self):
        return True


# ---------------------------------------------------------------------------------------------------------------- helpers

class RunState:
    """What one run's helpers share: the secrets, the metadata view, the effects requested so far."""

    def __init__(self, child, req):
        self.child = child
        self.secrets = req.get("secrets") or {}
        self.metadata = dict(req.get("metadata") or {})
        self.rules = req.get("metadataRules") or {}
        self.services = req.get("services") or {}
        self.effects = {"metadata": [], "tags": [], "events": []}
        self.call_id = 0

    def helpers(self):
        return {fn.__name__: fn for fn in _helper_functions(self)}


def _helper_functions(state):
    rules = state.rules
    max_key = int(rules.get("maxKeyLength", 200))
    max_value = int(rules.get("maxValueLength", 50000))
    max_pairs = int(rules.get("maxPairs", 200))
    reserved = rules.get("reservedPrefix", "chat-widget:")

    def require_conversation(context, helper):
        if not isinstance(context, dict):
            raise TypeError("%s: pass the context your function received as the first argument" % helper)
        if context.get("conversation") is None:
            raise HelperError("%s needs a conversation, but this run has none (custom actions and condition "
                              "providers run without one when no conversation ID is given)." % helper)

    def check_key(key, helper):
        if not isinstance(key, str):
            raise TypeError("%s: the key must be a string, not %s" % (helper, type(key).__name__))
        if not key.strip():
            raise ValueError("%s: the key must not be empty" % helper)
        if len(key) > max_key:
            raise ValueError("%s: the key is %d characters; the limit is %d" % (helper, len(key), max_key))
        if key.startswith(reserved):
            raise ValueError("%s: keys starting with '%s' belong to the website's chat widget and are read-only"
                             % (helper, reserved))

    def add_conversation_tag(context, tag):
        """Add a tag to the conversation (applied when the run succeeds)."""
        require_conversation(context, "add_conversation_tag")
        if not isinstance(tag, str) or not tag.strip():
            raise ValueError("add_conversation_tag: the tag must be a non-empty string")
        if len(tag.strip()) > 100:
            raise ValueError("add_conversation_tag: the tag is %d characters; the limit is 100" % len(tag.strip()))
        state.effects["tags"].append(tag)

    def set_conversation_metadata(context, key, value):
        """Store a metadata value on the conversation (applied when the run succeeds)."""
        require_conversation(context, "set_conversation_metadata")
        check_key(key, "set_conversation_metadata")
        if value is None:
            raise TypeError("set_conversation_metadata: value is None; use delete_conversation_metadata to remove a key")
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, str):
            text = value
        elif isinstance(value, (int, float)):
            text = json.dumps(value)
        elif isinstance(value, (dict, list, tuple)):
            try:
                text = json.dumps(value, ensure_ascii=False, allow_nan=False)
            except (TypeError, ValueError) as e:
                raise TypeError("set_conversation_metadata: the value cannot be stored as JSON: %s" % e) from None
        else:
            raise TypeError("set_conversation_metadata: store a string, number, boolean, dict or list, not %s"
                            % type(value).__name__)
        if len(text) > max_value:
            raise ValueError("set_conversation_metadata: the value is %s characters; the limit is %s"
                             % (format(len(text), ","), format(max_value, ",")))
        if key not in state.metadata and len(state.metadata) >= max_pairs:
            raise ValueError("set_conversation_metadata: the conversation already has %d metadata pairs; the limit is %d"
                             % (len(state.metadata), max_pairs))
        state.metadata[key] = text
        state.effects["metadata"].append({"key": key, "value": text})

    def get_conversation_metadata(context, key):
        """The conversation's metadata value for key (a string), or None. Sees earlier sets and deletes of this run."""
        require_conversation(context, "get_conversation_metadata")
        if not isinstance(key, str):
            raise TypeError("get_conversation_metadata: the key must be a string, not %s" % type(key).__name__)
        return state.metadata.get(key)

    def delete_conversation_metadata(context, key):
        """Remove a metadata key from the conversation (applied when the run succeeds)."""
        require_conversation(context, "delete_conversation_metadata")
        check_key(key, "delete_conversation_metadata")
        state.metadata.pop(key, None)
        state.effects["metadata"].append({"key": key, "value": None})

    def add_conversation_event(context, event):
        """Add an entry to the conversation's timeline: a description string, or {"type", "description", "data"}."""
        require_conversation(context, "add_conversation_event")
        if isinstance(event, str):
            event = {"description": event}
        if not isinstance(event, dict):
            raise TypeError("add_conversation_event: pass a string or a dict with type, description and data")
        unknown = sorted(set(event) - {"type", "description", "data"})
        if unknown:
            raise ValueError("add_conversation_event: unknown keys %s (allowed: type, description, data)" % unknown)
        event_type = event.get("type") or "script_event"
        description = event.get("description") or ""
        if not isinstance(event_type, str) or len(event_type) > 100:
            raise ValueError("add_conversation_event: type must be a string of at most 100 characters")
        if not isinstance(description, str) or len(description) > 2000:
            raise ValueError("add_conversation_event: description must be a string of at most 2,000 characters")
        data = event.get("data")
        try:
            json.dumps(data, allow_nan=False)
        except (TypeError, ValueError) as e:
            raise TypeError("add_conversation_event: data cannot be stored as JSON: %s" % e) from None
        state.effects["events"].append({"type": event_type, "description": description, "data": data})

    def llm_classify_binary(prompt, input, fallback=None):
        """Ask the configured LLM a yes/no question about input. Returns True or False (or fallback when unavailable)."""
        _require_text(prompt, "llm_classify_binary", "prompt")
        return _llm("llm_classify_binary", {"prompt": prompt, "input": _as_text(input)}, fallback)

    def llm_classify_category(prompt, input, options, fallback=None):
        """Ask the configured LLM to pick one of options for input. Returns the option (or fallback when unavailable)."""
        _require_text(prompt, "llm_classify_category", "prompt")
        if (not isinstance(options, (list, tuple)) or not options
                or not all(isinstance(o, str) and o for o in options)):
            raise ValueError("llm_classify_category: options must be a non-empty list of strings")
        return _llm("llm_classify_category", {"prompt": prompt, "input": _as_text(input), "options": list(options)}, fallback)

    def _llm(method, params, fallback):
        if not state.services.get("llm"):
            if fallback is not None:
                return fallback
            raise HelperError("%s is not available: no LLM endpoint is configured (Scripting:Llm:Endpoint). "
                              "Pass fallback=... to continue without it." % method)
        try:
            return state.child.call_host(method, params)
        except HelperError as e:
            if fallback is None:
                raise
            sys.stderr.write("%s failed (%s); returning the fallback %r\n" % (method, e, fallback))
            return fallback

    def add_google_sheets_row(sheet_id, data):
        """Append a row (a dict of column -> value) to a Google Sheet through the configured Sheets endpoint."""
        _require_text(sheet_id, "add_google_sheets_row", "sheet_id")
        if not isinstance(data, (dict, list, tuple)):
            raise TypeError("add_google_sheets_row: data must be a dict of column -> value (or a list of values)")
        try:
            json.dumps(data, allow_nan=False)
        except (TypeError, ValueError) as e:
            raise TypeError("add_google_sheets_row: data cannot be sent as JSON: %s" % e) from None
        if not state.services.get("sheets"):
            raise HelperError("add_google_sheets_row is not available: no Google Sheets endpoint is configured "
                              "(Scripting:Sheets:Endpoint).")
        state.child.call_host("add_google_sheets_row", {"sheetId": sheet_id, "data": data})
        return True

    def is_holiday(country, state=None, region=None, check_date=None):
        """True when check_date (default: today, UTC) is a public holiday in country (ISO code, e.g. "US", "DE")."""
        return _is_holiday(country, state, region, check_date)

    def get_secret(name):
        """The value of the organization's secret called name (Settings → Secrets). Masked in all output."""
        if not isinstance(name, str):
            raise TypeError("get_secret: the name must be a string")
        if name not in secrets:
            available = ", ".join(sorted(secrets)) or "none"
            raise HelperError("No secret named %r. Add it under Settings → Secrets (defined: %s)." % (name, available))
        return secrets[name]

    def list_predefined_functions():
        """The helper functions available to scripts, with their signatures and descriptions."""
        return [{"name": fn.__name__, "signature": "%s%s" % (fn.__name__, inspect.signature(fn)),
                 "description": inspect.getdoc(fn) or ""}
                for fn in sorted(public, key=lambda f: f.__name__)]

    secrets = state.secrets
    public = [add_conversation_tag, set_conversation_metadata, get_conversation_metadata,
              delete_conversation_metadata, add_conversation_event, llm_classify_binary, llm_classify_category,
              add_google_sheets_row, is_holiday, get_secret, list_predefined_functions]
    return public + [HelperError]


def _require_text(value, helper, name):
    if not isinstance(value, str) or not value.strip():
        raise ValueError("%s: %s must be a non-empty string" % (helper, name))


def _as_text(value):
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


# Country codes whose class has another name in older releases of the holidays package (Debian's 0.10.x).
_HOLIDAY_ALIASES = {"FR": ["FRA", "France"], "GB": ["GB", "UK"], "UK": ["UK", "GB"], "IN": ["IND", "India"],
                    "HN": ["HND", "Honduras"], "IL": ["ISR", "IL", "Israel"], "PT": ["PT", "Portugal"]}


def _holiday_class(country):
    import holidays
    for name in [country] + _HOLIDAY_ALIASES.get(country, []):
        cls = getattr(holidays, name, None)
        if isinstance(cls, type) and issubclass(cls, holidays.HolidayBase) and cls is not holidays.HolidayBase:
            return cls
    return None


def _is_holiday(country, state=None, region=None, check_date=None):
    if not isinstance(country, str) or not country.strip():
        raise ValueError("is_holiday: country must be an ISO country code such as 'US', 'GB', 'DE' or 'FR'")
    try:
        import holidays
    except ImportError:
        raise HelperError("is_holiday needs the Python package 'holidays' (Debian: apt-get install python3-holidays)") from None
    day = _to_date(check_date)
    code = country.strip().upper()
    subdivision = state or region
    if hasattr(holidays, "country_holidays"):           # holidays >= 0.14
        try:
            calendar = holidays.country_holidays(code, subdiv=subdivision, years=day.year)
        except NotImplementedError:
            raise ValueError("is_holiday: unknown country %r" % country) from None
        return day in calendar
    cls = _holiday_class(code)
    if cls is None:
        raise ValueError("is_holiday: unknown country %r" % country)
    kwargs = {"years": day.year}
    provinces = getattr(cls, "PROVINCES", None) or []
    states = getattr(cls, "STATES", None) or []
    if state:
        if provinces and not states:
            kwargs["prov"] = state
        else:
            kwargs["state"] = state
    if region:
        kwargs.setdefault("prov", region) if "prov" not in kwargs else kwargs.setdefault("state", region)
    return day in cls(**kwargs)


def _to_date(value):
    if value is None:
        return datetime.datetime.now(datetime.timezone.utc).date()
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            pass
    raise ValueError("is_holiday: check_date must be a date, a datetime or a 'YYYY-MM-DD' string, not %r" % (value,))


main()
