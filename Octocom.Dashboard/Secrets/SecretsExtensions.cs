namespace Octocom.Dashboard.Secrets;

public static class SecretsExtensions
{
    /// <summary>Script secrets (<see cref="ScriptSecretService"/>), their settings page and demo secret.</summary>
    public static IHostApplicationBuilder AddSecrets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ScriptSecretService>();
        builder.Services.AddScoped<Data.Seeding.IDemoDataContributor, DemoSecretsContributor>();
        return builder;
    }
}
