using System.Globalization;
using System.Text.RegularExpressions;

namespace Octocom.Dashboard.Conversations.Inbox;

/// <summary>A piece of a snippet: plain text, and whether it is a search match. Rendered as text, never as markup.</summary>
public sealed record TextSegment(string Text, bool IsMatch);

/// <summary>Where a search matched ("message", "subject", "customer") and the surrounding text in segments.</summary>
public sealed record SearchSnippet(string Field, IReadOnlyList<TextSegment> Segments)
{
    public string PlainText => string.Concat(Segments.Select(s => s.Text));
}

/// <summary>
/// Cuts a window of text around the first search match and splits it into matched / unmatched segments.
/// Hand-written rather than FTS5's snippet(): that returns one string with inline markers, and visitor text can
/// contain any marker, so text and highlight could be confused; here the two never mix. Matching ignores case and
/// diacritics, like the trigram index (remove_diacritics).
/// </summary>
public static partial class SnippetBuilder
{
    public const int Window = 140;
    private static readonly CompareInfo Compare = CultureInfo.InvariantCulture.CompareInfo;
    private const CompareOptions Options = CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace;

    public static bool Contains(string? text, IReadOnlyList<string> terms) =>
        !string.IsNullOrEmpty(text) && terms.Any(t => Compare.IndexOf(text, t, Options) >= 0);

    public static SearchSnippet? Build(string field, string? text, IReadOnlyList<string> terms)
    {
        if (string.IsNullOrEmpty(text) || terms.Count == 0) return null;
        text = Whitespace().Replace(text, " ").Trim();
        var matches = FindAll(text, terms);
        if (matches.Count == 0) return null;

        // Centre the window on the first match.
        var first = matches[0];
        var start = Math.Max(0, Math.Min(first.Start - Window / 3, text.Length - Window));
        var end = Math.Min(text.Length, start + Window);
        var segments = new List<TextSegment>();
        if (start > 0) segments.Add(new TextSegment("…", false));
        var position = start;
        foreach (var (matchStart, length) in matches)
        {
            var matchEnd = matchStart + length;
            if (matchEnd <= position || matchStart >= end) continue;
            var from = Math.Max(matchStart, position);
            if (from > position) segments.Add(new TextSegment(text[position..from], false));
            var to = Math.Min(matchEnd, end);
            segments.Add(new TextSegment(text[from..to], true));
            position = to;
        }
        if (position < end) segments.Add(new TextSegment(text[position..end], false));
        if (end < text.Length) segments.Add(new TextSegment("…", false));
        return new SearchSnippet(field, segments);
    }

    /// <summary>Non-overlapping matches of any term, in text order.</summary>
    private static List<(int Start, int Length)> FindAll(string text, IReadOnlyList<string> terms)
    {
        var found = new List<(int Start, int Length)>();
        foreach (var term in terms)
        {
            for (var from = 0; from < text.Length;)
            {
                var index = Compare.IndexOf(text.AsSpan(from), term.AsSpan(), Options, out var length);
                if (index < 0 || length == 0) break;
                found.Add((from + index, length));
                from += index + length;
            }
        }
        found.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var merged = new List<(int Start, int Length)>();
        foreach (var m in found)
            if (merged.Count == 0 || m.Start >= merged[^1].Start + merged[^1].Length) merged.Add(m);
        return merged;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
