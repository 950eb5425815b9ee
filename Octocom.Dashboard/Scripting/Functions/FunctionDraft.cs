namespace Octocom.Dashboard.Scripting.Functions;

/// <summary>What an admin saves from the editor: a new function, or the next version of an existing one.</summary>
public sealed class FunctionDraft
{
    /// <summary>The function being edited; null for a new one (the name-uniqueness rule skips it).</summary>
    public int? FunctionId { get; set; }
    public FunctionKind Kind { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string Code { get; set; } = "";
    public bool IsActive { get; set; } = true;
    /// <summary>Event handlers only (<see cref="EventTypes.All"/>).</summary>
    public string? EventType { get; set; }
    /// <summary>Custom actions and condition providers only.</summary>
    public List<ArgumentDefinition> Arguments { get; set; } = [];

    public static FunctionDraft From(PythonFunction function) => new()
    {
        FunctionId = function.Id,
        Kind = function.Kind,
        Name = function.Name,
        Description = function.Description,
        Code = function.Code,
        IsActive = function.IsActive,
        EventType = function.EventType,
        Arguments = ArgumentDefinitions.Parse(function.ArgumentsJson).ToList(),
    };
}
