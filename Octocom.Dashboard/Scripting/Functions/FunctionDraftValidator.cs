using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Scripting.Engine;

namespace Octocom.Dashboard.Scripting.Functions;

/// <summary>Error codes of <see cref="FunctionDraftValidator"/> (the editor maps code errors to Monaco markers).</summary>
public static class FunctionRules
{
    public const string NameRequired = "name_required";
    public const string NameTooLong = "name_too_long";
    public const string NameTaken = "name_taken";
    public const string DescriptionTooLong = "description_too_long";
    public const string CodeRequired = "code_required";
    public const string CodeTooLong = "code_too_long";
    public const string CodeSyntax = "code_syntax";
    public const string EntryPoint = "entry_point";
    public const string CodeNotChecked = "code_not_checked";
    public const string EventTypeRequired = "event_type_required";
    public const string EventTypeNotAllowed = "event_type_not_allowed";
    public const string ArgumentsNotAllowed = "arguments_not_allowed";
    public const string TooManyArguments = "too_many_arguments";
    public const string ArgumentNameRequired = "argument_name_required";
    public const string ArgumentNameInvalid = "argument_name_invalid";
    public const string ArgumentNameDuplicate = "argument_name_duplicate";
    public const string ArgumentTypeInvalid = "argument_type_invalid";
    public const string ArgumentDescriptionTooLong = "argument_description_too_long";
}

/// <summary>
/// Save validation for Python functions. The name must be unique per kind in the organization (case-insensitive),
/// and the code must compile and define the kind's entry function with one parameter — checked by the engine
/// (<see cref="ScriptCodeChecker"/>) in its sandbox, without running the code. A code failure carries the
/// <see cref="ScriptError"/> (line, column) as <see cref="ValidationFailure.CustomState"/>. When python3 is missing the
/// code check is a <see cref="Severity.Warning"/> (saving still works; runs will say what to install).
/// </summary>
/// <remarks>
/// Scoped (see <see cref="FunctionsExtensions.AddFunctions"/>): it needs the scope's tenant-bound database factory.
/// Resolve it as <c>IValidator&lt;FunctionDraft&gt;</c>.
/// </remarks>
public sealed class FunctionDraftValidator : AbstractValidator<FunctionDraft>
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 2000;
    public const int MaxCodeLength = 200_000;

    private readonly IDbContextFactory<DashboardDbContext> _dbFactory;
    private readonly ScriptCodeChecker _checker;

    public FunctionDraftValidator(IDbContextFactory<DashboardDbContext> dbFactory, ScriptCodeChecker checker)
    {
        _dbFactory = dbFactory;
        _checker = checker;

        RuleFor(d => d.Kind).IsInEnum();

        RuleFor(d => d.Name)
            .Cascade(CascadeMode.Stop)
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithErrorCode(FunctionRules.NameRequired).WithMessage("Name is required.")
            .Must(n => n.Trim().Length <= MaxNameLength).WithErrorCode(FunctionRules.NameTooLong)
                .WithMessage($"Name must be at most {MaxNameLength} characters.")
            .MustAsync(NameIsFreeAsync).WithErrorCode(FunctionRules.NameTaken)
                .WithMessage(d => $"There is already a {d.Kind.DisplayName().ToLowerInvariant()} named '{d.Name.Trim()}'. Choose another name.");

        RuleFor(d => d.Description)
            .Must(d => (d ?? "").Length <= MaxDescriptionLength).WithErrorCode(FunctionRules.DescriptionTooLong)
            .WithMessage($"Description must be at most {MaxDescriptionLength:N0} characters.");

        RuleFor(d => d.Code)
            .Cascade(CascadeMode.Stop)
            .Must(c => !string.IsNullOrWhiteSpace(c)).WithErrorCode(FunctionRules.CodeRequired)
                .WithMessage(d => $"Code is required: define `def {d.Kind.EntryPoint()}(context):`.")
            .Must(c => c.Length <= MaxCodeLength).WithErrorCode(FunctionRules.CodeTooLong)
                .WithMessage(d => $"The code is {d.Code.Length:N0} characters; the limit is {MaxCodeLength:N0}.")
            .CustomAsync(CheckCodeAsync)
            .When(d => Enum.IsDefined(d.Kind));

        RuleFor(d => d.EventType)
            .Must(e => e is not null && EventTypes.All.Contains(e)).WithErrorCode(FunctionRules.EventTypeRequired)
            .WithMessage($"Choose the event this handler runs on: {string.Join(" or ", EventTypes.All)}.")
            .When(d => d.Kind == FunctionKind.EventHandler);
        RuleFor(d => d.EventType)
            .Must(string.IsNullOrEmpty).WithErrorCode(FunctionRules.EventTypeNotAllowed)
            .WithMessage("Only event handlers have an event type.")
            .When(d => d.Kind != FunctionKind.EventHandler);

        RuleFor(d => d.Arguments)
            .Must(a => a.Count == 0).WithErrorCode(FunctionRules.ArgumentsNotAllowed)
            .WithMessage(d => $"A {d.Kind.DisplayName().ToLowerInvariant()} takes no arguments; only custom actions and condition providers do.")
            .When(d => !TakesArguments(d.Kind));
        When(d => TakesArguments(d.Kind), () =>
        {
            RuleFor(d => d.Arguments)
                .Must(a => a.Count <= ArgumentDefinitions.MaxCount).WithErrorCode(FunctionRules.TooManyArguments)
                .WithMessage($"At most {ArgumentDefinitions.MaxCount} arguments.");
            RuleFor(d => d.Arguments).Custom(ReportDuplicateNames);
            RuleForEach(d => d.Arguments).ChildRules(argument =>
            {
                argument.RuleFor(a => a.Name)
                    .Cascade(CascadeMode.Stop)
                    .Must(n => !string.IsNullOrWhiteSpace(n)).WithErrorCode(FunctionRules.ArgumentNameRequired)
                        .WithMessage("Every argument needs a name.")
                    .Must(n => ArgumentDefinitions.IsValidName(n.Trim()) && n.Trim().Length <= ArgumentDefinitions.MaxNameLength)
                        .WithErrorCode(FunctionRules.ArgumentNameInvalid)
                        .WithMessage(a => $"Argument name '{a.Name}' is not valid: use letters, digits and _ (not starting with a digit), at most {ArgumentDefinitions.MaxNameLength} characters.");
                argument.RuleFor(a => a.Type)
                    .Must(t => ArgumentDefinition.Types.Contains(t)).WithErrorCode(FunctionRules.ArgumentTypeInvalid)
                    .WithMessage(a => $"Argument '{a.Name}': type '{a.Type}' is not one of {string.Join(", ", ArgumentDefinition.Types)}.");
                argument.RuleFor(a => a.Description)
                    .Must(d => (d ?? "").Length <= ArgumentDefinitions.MaxDescriptionLength).WithErrorCode(FunctionRules.ArgumentDescriptionTooLong)
                    .WithMessage(a => $"Argument '{a.Name}': the description must be at most {ArgumentDefinitions.MaxDescriptionLength} characters.");
            });
        });
    }

    public static bool TakesArguments(FunctionKind kind) => kind is FunctionKind.CustomAction or FunctionKind.ConditionProvider;

    private async Task<bool> NameIsFreeAsync(FunctionDraft draft, string name, CancellationToken ct)
    {
        var wanted = name.Trim().ToLower();
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        return !await db.PythonFunctions.AnyAsync(f => f.Kind == draft.Kind && f.Name.ToLower() == wanted
                                                       && (draft.FunctionId == null || f.Id != draft.FunctionId), ct);
    }

    private async Task CheckCodeAsync(string code, ValidationContext<FunctionDraft> context, CancellationToken ct)
    {
        var draft = context.InstanceToValidate;
        var check = await _checker.CheckAsync(draft.Kind, code, draft.Name, ct);
        if (check.Outcome == CodeCheckOutcome.Passed) return;
        var error = check.Error ?? new ScriptError("CompileError", "The code could not be checked.");
        if (check.Outcome == CodeCheckOutcome.NotChecked)
        {
            context.AddFailure(new ValidationFailure(nameof(FunctionDraft.Code), $"The code was not checked: {error.Message}")
            {
                ErrorCode = FunctionRules.CodeNotChecked, Severity = Severity.Warning, CustomState = error,
            });
            return;
        }
        var isEntryPoint = error.Type == "EntryPointError";
        context.AddFailure(new ValidationFailure(nameof(FunctionDraft.Code), Describe(error))
        {
            ErrorCode = isEntryPoint ? FunctionRules.EntryPoint : FunctionRules.CodeSyntax,
            CustomState = error,
        });
    }

    /// <summary>"Line 3, column 12: SyntaxError: '(' was never closed".</summary>
    public static string Describe(ScriptError error)
    {
        var where = error.Line is { } line ? error.Column is { } column ? $"Line {line}, column {column}: " : $"Line {line}: " : "";
        var type = error.Type is "EntryPointError" or "" ? "" : error.Type + ": ";
        return where + type + error.Message;
    }

    private static void ReportDuplicateNames(List<ArgumentDefinition> arguments, ValidationContext<FunctionDraft> context)
    {
        var duplicates = arguments.Where(a => !string.IsNullOrWhiteSpace(a.Name))
            .GroupBy(a => a.Name.Trim(), StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key);
        foreach (var name in duplicates)
            context.AddFailure(new ValidationFailure(nameof(FunctionDraft.Arguments), $"Argument name '{name}' is used more than once.")
            {
                ErrorCode = FunctionRules.ArgumentNameDuplicate,
            });
    }
}
