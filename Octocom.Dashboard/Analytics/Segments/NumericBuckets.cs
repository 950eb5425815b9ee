using System.Globalization;

namespace Octocom.Dashboard.Analytics.Segments;

/// <summary>
/// Bucket edges for a numeric key from its smallest and largest value. Non-negative data spanning two decades or more
/// (cart values) gets "1-2-5" steps (0, 1, 2, 5, 10, 20, 50, …) over at most <see cref="MaxDecades"/> decades below
/// the largest value; anything else gets about <see cref="TargetLinearBuckets"/> equal steps of 1, 2 or 5 × 10^n. Each bucket is
/// [lower, upper): lower bound inclusive, upper exclusive. Edges depend only on the key's range across the
/// organization, so they stay put while filters change and segments from different filters line up.
/// </summary>
public static class NumericBuckets
{
    public const int MaxDecades = 3;
    public const int TargetLinearBuckets = 8;
    private static readonly double[] Steps = [1, 2, 5];

    /// <summary>Ascending edges e0 &lt; e1 &lt; … &lt; ek with e0 ≤ min and ek &gt; max; k buckets.</summary>
    public static IReadOnlyList<double> Edges(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || max < min) throw new ArgumentException("min and max must be finite, min ≤ max.");
        if (min == max) return [min, NextEdgeAbove(min)];
        var logScale = min >= 0 && (min == 0 ? max >= 100 : max / min >= 50);
        return logScale ? LogEdges(min, max) : LinearEdges(min, max);
    }

    private static IReadOnlyList<double> LogEdges(double min, double max)
    {
        var top = (int)Math.Floor(Math.Log10(max));
        // Below the lowest decade everything shares the first bucket (which starts at 0 for data that starts at 0).
        var lowest = min > 0 ? Math.Max(top - MaxDecades, (int)Math.Floor(Math.Log10(min))) : Math.Max(top - MaxDecades, 0);
        var candidates = Enumerable.Range(lowest, top - lowest + 2)
            .SelectMany(decade => Steps.Select(step => Round(step * Math.Pow(10, decade))))
            .ToList();
        var first = candidates.LastOrDefault(c => c <= min, 0);
        var edges = new List<double> { first };
        foreach (var edge in candidates.Where(c => c > first))
        {
            edges.Add(edge);
            if (edge > max) break;
        }
        return edges;
    }

    private static IReadOnlyList<double> LinearEdges(double min, double max)
    {
        var step = NiceStep((max - min) / TargetLinearBuckets);
        var first = Math.Floor(min / step) * step;
        var edges = new List<double>();
        for (var i = 0; ; i++)
        {
            var edge = Round(first + i * step);
            edges.Add(edge);
            if (edge > max) return edges;
        }
    }

    /// <summary>The smallest 1, 2 or 5 × 10^n that is ≥ <paramref name="raw"/>.</summary>
    public static double NiceStep(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (var step in Steps.Append(10))
            if (step * magnitude >= raw * (1 - 1e-9)) return Round(step * magnitude);
        return Round(10 * magnitude);
    }

    private static double NextEdgeAbove(double value) => value + Math.Max(1, Math.Abs(value) * 1e-9);

    /// <summary>Removes binary noise (0.30000000000000004 → 0.3).</summary>
    private static double Round(double value) => double.Parse(value.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Label(double lower, double upper) => $"{Format(lower)} – {Format(upper)}";

    public static string Format(double value) => value.ToString(Math.Abs(value) >= 1000 ? "#,0.##" : "0.####", CultureInfo.InvariantCulture);
}
