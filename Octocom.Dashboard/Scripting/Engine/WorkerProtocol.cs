using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Octocom.Dashboard.Scripting.Engine;

/// <summary>
/// The wire format between the dashboard and a worker (docs/scripting.md, "Protocol"):
/// stdin/stdout carry frames — a 4-byte big-endian length, then that many bytes of UTF-8 JSON;
/// stderr carries the worker's own notices — a line <c>\x1eOCTO {json}\n</c>, optionally followed by raw output bytes —
/// and any other line is a diagnostic from the interpreter itself.
/// </summary>
public static class WorkerProtocol
{
    public const int MaxFrameBytes = 512 * 1024 * 1024;
    public static readonly byte[] NoticePrefix = "\u001eOCTO "u8.ToArray();

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 256 };

    public static byte[] Header(int length)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, length);
        return header;
    }

    /// <summary>Reads one frame; null at end of stream.</summary>
    public static JsonObject? ReadFrame(Stream stream)
    {
        Span<byte> header = stackalloc byte[4];
        if (!ReadExactly(stream, header)) return null;
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length is < 0 or > MaxFrameBytes) throw new InvalidDataException($"Frame length {length} is out of range.");
        var payload = new byte[length];
        if (!ReadExactly(stream, payload)) throw new EndOfStreamException("The worker closed the channel in the middle of a frame.");
        return JsonNode.Parse(payload, documentOptions: ParseOptions) as JsonObject
            ?? throw new InvalidDataException("A frame is not a JSON object.");
    }

    private static bool ReadExactly(Stream stream, Span<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer[read..]);
            if (n == 0)
            {
                if (read == 0) return false;
                throw new EndOfStreamException("The worker closed the channel in the middle of a frame.");
            }
            read += n;
        }
        return true;
    }

    public static string DecodeOutput(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}

/// <summary>Reads the worker's stderr: notice lines (with their raw payload) and plain diagnostic lines.</summary>
public sealed class NoticeReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;

    /// <summary>The next line without its newline, or null at end of stream.</summary>
    public byte[]? ReadLine()
    {
        var line = new List<byte[]>();
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                line.Add(_buffer[_start..newline]);
                _start = newline + 1;
                return Concat(line);
            }
            if (_end > _start) line.Add(_buffer[_start.._end]);
            _start = _end = 0;
            var n = stream.Read(_buffer, 0, _buffer.Length);
            if (n == 0) return line.Count == 0 ? null : Concat(line);
            _end = n;
            if (line.Sum(l => l.Length) > 1024 * 1024) return Concat(line); // a runaway line: hand it over in pieces
        }
    }

    public byte[] ReadBytes(int count)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_end > _start)
            {
                var take = Math.Min(count - filled, _end - _start);
                Buffer.BlockCopy(_buffer, _start, result, filled, take);
                _start += take;
                filled += take;
                continue;
            }
            _start = _end = 0;
            var n = stream.Read(_buffer, 0, _buffer.Length);
            if (n == 0) throw new EndOfStreamException("The worker closed stderr in the middle of a notice.");
            _end = n;
        }
        return result;
    }

    private static byte[] Concat(List<byte[]> parts) => parts.Count == 1 ? parts[0] : parts.SelectMany(p => p).ToArray();

    public static bool IsNotice(byte[] line) => line.AsSpan().StartsWith(WorkerProtocol.NoticePrefix);
}

/// <summary>The worker's report that a run's process ended (and, when it died before reporting, what it printed).</summary>
public sealed record ExitNotice(
    bool ResultSent,
    int? ExitCode,
    int? Signal,
    double? CpuSeconds,
    long? MaxRssKb,
    long StdoutBytes,
    long StderrBytes,
    byte[] Stdout,
    byte[] Stderr)
{
    public bool Clean => ResultSent && ExitCode == 0;

    public static ExitNotice Parse(JsonObject notice, NoticeReader reader)
    {
        var stdoutSent = notice["stdoutSent"]?.GetValue<int>() ?? 0;
        var stderrSent = notice["stderrSent"]?.GetValue<int>() ?? 0;
        return new ExitNotice(
            notice["resultSent"]?.GetValue<bool>() ?? false,
            notice["exitCode"]?.GetValue<int>(),
            notice["signal"]?.GetValue<int>(),
            notice["cpuSeconds"]?.GetValue<double>(),
            notice["maxRssKb"]?.GetValue<long>(),
            notice["stdoutBytes"]?.GetValue<long>() ?? 0,
            notice["stderrBytes"]?.GetValue<long>() ?? 0,
            stdoutSent > 0 ? reader.ReadBytes(stdoutSent) : [],
            stderrSent > 0 ? reader.ReadBytes(stderrSent) : []);
    }
}
