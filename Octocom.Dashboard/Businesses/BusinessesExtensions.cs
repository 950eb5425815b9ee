using FluentValidation;

namespace Octocom.Dashboard.Businesses;

public static class BusinessesExtensions
{
    /// <summary>
    /// Businesses: the list every page filters by (<see cref="BusinessService"/>), the settings page's service and form
    /// rules, and the public slug lookup the chat API resolves a business with before any tenant is known.
    /// </summary>
    public static IHostApplicationBuilder AddBusinesses(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IValidator<BusinessForm>, BusinessFormValidator>();
        builder.Services.AddOptions<PublicBusinessDirectoryOptions>();
        builder.Services.AddSingleton<PublicBusinessDirectory>();
        builder.Services.AddScoped<BusinessService>();
        builder.Services.AddScoped<BusinessSettingsService>();
        return builder;
    }
}
