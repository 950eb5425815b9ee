namespace Octocom.Dashboard.Businesses;

/// <summary>
/// <see cref="Business.AllowedOrigins"/>: one origin per line (<c>https://shop.example</c>, optionally with a port),
/// stored normalised (lower-case, no trailing slash). Empty means any origin may call the public chat API.
/// </summary>
public static class AllowedOrigins
{
    public static IReadOnlyList<string> Parse(string? stored) =>
        (stored ?? "").Split(['\n', '\r', ',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(o => TryNormalize(o, out var normalized) ? normalized : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>"https://Shop.example/" → "https://shop.example"; false for anything that is not a bare http(s) origin.</summary>
    public static bool TryNormalize(string? candidate, out string origin)
    {
        origin = "";
        if (string.IsNullOrWhiteSpace(candidate)) return false;
        var text = candidate.Trim().TrimEnd('/');
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)) return false;
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return false;
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0) return false;
        origin = uri.IsDefaultPort ? $"{uri.Scheme}://{uri.IdnHost}" : $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";
        origin = origin.ToLowerInvariant();
        return true;
    }

    /// <summary>The lines of <paramref name="input"/> that are not valid origins (for a readable validation message).</summary>
    public static IReadOnlyList<string> Invalid(string? input) =>
        (input ?? "").Split(['\n', '\r', ',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(o => !TryNormalize(o, out _))
            .ToList();

    /// <summary>The form's text in the stored form: valid origins, normalised, one per line.</summary>
    public static string Format(string? input) => string.Join('\n', Parse(input));
}
