using System.Text.Json.Serialization;

namespace Octocom.Dashboard.Analytics.Segments;

[JsonConverter(typeof(JsonStringEnumConverter<SegmentKind>))]
public enum SegmentKind
{
    /// <summary>Conversations whose value is exactly <see cref="SegmentRow.Value"/>.</summary>
    Value,
    /// <summary>Conversations whose numeric value is in [Lower, Upper).</summary>
    Bucket,
    /// <summary>Conversations without the key.</summary>
    None,
    /// <summary>Bucketed keys: conversations whose value is not a number.</summary>
    NotNumeric,
    /// <summary>The values beyond the largest <see cref="AnalyticsOptions.MaxSegments"/>, summed.</summary>
    Other,
}

/// <summary>One segment: how many matching conversations, their share, and their outcomes.</summary>
/// <param name="HandoffRate">Share of the segment's conversations that were ever handed off to a human (HandedOffAt set).</param>
/// <param name="CloseRate">Share of the segment's conversations that are closed now.</param>
/// <param name="MedianMessages">Median of the conversations' message counts (mean of the two middle ones for even counts).</param>
public sealed record SegmentRow(
    string Label,
    SegmentKind Kind,
    string? Value,
    double? Lower,
    double? Upper,
    int Conversations,
    double Share,
    int HandedOff,
    double HandoffRate,
    int Closed,
    double CloseRate,
    double MedianMessages);

public sealed record SegmentTable(string Key, bool Buckets, int Total, IReadOnlyList<SegmentRow> Rows)
{
    public const string NoneLabel = "(none)";
    public const string OtherLabel = "(other)";
    public const string NotNumericLabel = "(not a number)";
}

/// <summary>
/// Counts for one segment, with a histogram of message counts (the database groups by message count, so an exact
/// median needs no per-conversation rows in memory).
/// </summary>
public sealed class SegmentAccumulator
{
    private readonly SortedDictionary<int, long> _messageHistogram = [];

    public int Conversations { get; private set; }
    public int HandedOff { get; private set; }
    public int Closed { get; private set; }

    public void Add(int messageCount, int conversations, int handedOff, int closed)
    {
        Conversations += conversations;
        HandedOff += handedOff;
        Closed += closed;
        _messageHistogram[messageCount] = _messageHistogram.GetValueOrDefault(messageCount) + conversations;
    }

    public void Add(SegmentAccumulator other)
    {
        Conversations += other.Conversations;
        HandedOff += other.HandedOff;
        Closed += other.Closed;
        foreach (var (messages, count) in other._messageHistogram)
            _messageHistogram[messages] = _messageHistogram.GetValueOrDefault(messages) + count;
    }

    public double MedianMessages => Median(_messageHistogram, Conversations);

    public SegmentRow ToRow(string label, SegmentKind kind, string? value, int total, double? lower = null, double? upper = null) =>
        new(label, kind, value, lower, upper, Conversations, Rate(Conversations, total), HandedOff, Rate(HandedOff, Conversations),
            Closed, Rate(Closed, Conversations), MedianMessages);

    public static double Rate(int part, int whole) => whole == 0 ? 0 : (double)part / whole;

    /// <summary>Median of <paramref name="count"/> values given as value → frequency (ascending).</summary>
    public static double Median(IEnumerable<KeyValuePair<int, long>> histogram, long count)
    {
        if (count == 0) return 0;
        // 0-based positions of the middle value(s).
        var lowRank = (count - 1) / 2;
        var highRank = count / 2;
        double? low = null;
        long seen = 0;
        foreach (var (value, frequency) in histogram)
        {
            var last = seen + frequency - 1;
            if (low is null && lowRank <= last) low = value;
            if (highRank <= last) return (low!.Value + value) / 2.0;
            seen += frequency;
        }
        throw new ArgumentException("The histogram holds fewer values than count.");
    }
}
