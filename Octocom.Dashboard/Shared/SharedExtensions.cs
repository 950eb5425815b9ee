namespace Octocom.Dashboard.Shared;

public static class SharedExtensions
{
    /// <summary>Small services several features use: Markdown rendering (raw HTML off, safe links only).</summary>
    public static IHostApplicationBuilder AddShared(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MarkdownRenderer>();
        return builder;
    }
}
