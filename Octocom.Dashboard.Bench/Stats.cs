namespace Octocom.Dashboard.Bench;

public static class Stats
{
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var rank = p / 100.0 * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    public static string Summary(IReadOnlyList<double> millis) =>
        $"n={millis.Count} p50={Percentile(millis, 50):F2} ms p95={Percentile(millis, 95):F2} ms p99={Percentile(millis, 99):F2} ms max={millis.Max():F2} ms";
}
