using FluentValidation;
using FluentValidation.Results;
using Octocom.Dashboard.Scripting.Engine;

namespace Octocom.Dashboard.Scripting.Functions;

/// <summary>Someone else saved the function after the editor loaded it.</summary>
public sealed record SaveConflict(int CurrentVersion, string? UpdatedBy, DateTime UpdatedAt);

/// <summary>The outcome of a save or restore. Nothing was stored unless <see cref="Succeeded"/>.</summary>
public sealed record FunctionSaveResult
{
    public PythonFunction? Function { get; init; }
    /// <summary>Blocking validation failures (severity Error).</summary>
    public IReadOnlyList<ValidationFailure> Errors { get; init; } = [];
    /// <summary>Non-blocking notes, e.g. the code could not be checked because python3 is missing.</summary>
    public IReadOnlyList<ValidationFailure> Warnings { get; init; } = [];
    public SaveConflict? Conflict { get; init; }
    public bool NotFound { get; init; }

    public bool Succeeded => Function is not null;

    /// <summary>The syntax or entry-point error of the code check, for the editor's marker.</summary>
    public ScriptError? CodeError => Errors.Select(e => e.CustomState).OfType<ScriptError>().FirstOrDefault();

    public static FunctionSaveResult Invalid(ValidationResult validation) => new()
    {
        Errors = validation.Errors.Where(e => e.Severity == Severity.Error).ToList(),
        Warnings = validation.Errors.Where(e => e.Severity != Severity.Error).ToList(),
    };

    public static FunctionSaveResult Failure(string property, string code, string message) =>
        new() { Errors = [new ValidationFailure(property, message) { ErrorCode = code }] };
}
