using System.Globalization;
using CsvHelper;
using Octocom.Dashboard.Analytics.Segments;

namespace Octocom.Dashboard.Analytics.Api;

/// <summary>
/// CSV writers that write each row as it is read and flush every <see cref="FlushEvery"/> rows, so an export of any
/// size needs constant memory and the download starts at once. Cells that a spreadsheet would run as a formula
/// (=, +, -, @ …) are escaped with a leading apostrophe: metadata values come from websites. Numbers are written as
/// numbers, so they are never escaped.
/// </summary>
public static class CsvExport
{
    public const string ContentType = "text/csv; charset=utf-8";
    private const int FlushEvery = 1_000;

    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { Injection = CsvInjection.Escape };

    public static string FileName(string what) => $"octocom-{what}-{DateTime.UtcNow:yyyyMMdd-HHmm}.csv";

    public static async Task WriteConversationsAsync(Stream body, IAsyncEnumerable<AnalyticsRow> rows, IReadOnlyList<string> metadataKeys,
        string baseUrl, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(body, Options, leaveOpen: true);
        string[] header = ["public_id", "url", "subject", "business", "status", "channel", "created_at", "last_activity_at", "message_count",
            "handed_off_at", "closed_at"];
        foreach (var name in header.Concat(metadataKeys)) csv.WriteField(name);
        await csv.EndRecordAsync(ct);
        var written = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            csv.WriteField(row.PublicId);
            csv.WriteField($"{baseUrl}/conversations/{row.PublicId}");
            csv.WriteField(row.Subject);
            csv.WriteField(row.BusinessName);
            csv.WriteField(row.Status);
            csv.WriteField(row.Channel ?? "");
            csv.WriteField(Timestamp(row.CreatedAt));
            csv.WriteField(Timestamp(row.LastActivityAt));
            csv.WriteField(row.MessageCount);
            csv.WriteField(Timestamp(row.HandedOffAt));
            csv.WriteField(Timestamp(row.ClosedAt));
            foreach (var key in metadataKeys) csv.WriteField(row.Metadata.GetValueOrDefault(key, ""));
            await csv.EndRecordAsync(ct);
            if (++written % FlushEvery == 0) await csv.FlushAsync(ct);
        }
        await csv.FlushAsync(ct);
    }

    public static async Task WriteSegmentsAsync(Stream body, SegmentTable table, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(body, Options, leaveOpen: true);
        foreach (var name in new[] { "key", "segment", "kind", "lower", "upper", "conversations", "share", "handed_off", "handoff_rate",
                     "closed", "close_rate", "median_messages" })
            csv.WriteField(name);
        await csv.EndRecordAsync(ct);
        foreach (var row in table.Rows)
        {
            ct.ThrowIfCancellationRequested();
            csv.WriteField(table.Key);
            csv.WriteField(row.Label);
            csv.WriteField(row.Kind.ToString().ToLowerInvariant());
            csv.WriteField(Round(row.Lower));
            csv.WriteField(Round(row.Upper));
            csv.WriteField(row.Conversations);
            csv.WriteField(Round(row.Share));
            csv.WriteField(row.HandedOff);
            csv.WriteField(Round(row.HandoffRate));
            csv.WriteField(row.Closed);
            csv.WriteField(Round(row.CloseRate));
            csv.WriteField(Round(row.MedianMessages));
            await csv.EndRecordAsync(ct);
        }
        await csv.FlushAsync(ct);
    }

    private static string Timestamp(DateTime? value) =>
        value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 6) : null;
}
