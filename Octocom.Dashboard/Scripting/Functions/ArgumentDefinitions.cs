using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Octocom.Dashboard.Scripting.Functions;

/// <summary>
/// <see cref="PythonFunction.ArgumentsJson"/> ⇄ <see cref="ArgumentDefinition"/>s:
/// <c>[{"name": "orderId", "type": "string", "description": "…", "required": true}]</c>.
/// </summary>
public static partial class ArgumentDefinitions
{
    public const int MaxNameLength = 64;
    public const int MaxDescriptionLength = 500;
    public const int MaxCount = 30;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Tolerant: unreadable JSON yields no arguments (the editor then shows none and the admin re-enters them).</summary>
    public static IReadOnlyList<ArgumentDefinition> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        try
        {
            return (JsonSerializer.Deserialize<List<ArgumentDefinition?>>(json, Json) ?? [])
                .OfType<ArgumentDefinition>()
                .Select(a => a with { Name = a.Name ?? "", Type = a.Type ?? "string", Description = a.Description ?? "" })
                .ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public static string ToJson(IEnumerable<ArgumentDefinition> arguments) =>
        JsonSerializer.Serialize(arguments.Select(a => a with { Name = a.Name.Trim(), Description = a.Description.Trim() }), Json);

    /// <summary>A Python identifier, so scripts can read it as <c>context["args"]["name"]</c> and it reads well in keyword form.</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex NamePattern();
}
