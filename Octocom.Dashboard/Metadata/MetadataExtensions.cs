using FluentValidation;

namespace Octocom.Dashboard.Metadata;

public static class MetadataExtensions
{
    /// <summary>Conversation metadata: <see cref="MetadataService"/> (the only writer) and the limits it enforces.</summary>
    public static IHostApplicationBuilder AddMetadata(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IValidator<MetadataChange>, MetadataChangeValidator>();
        builder.Services.AddScoped<MetadataService>();
        return builder;
    }
}
