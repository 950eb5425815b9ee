using FluentValidation.Results;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;
using Octocom.Dashboard.Scripting.Functions;
using Octocom.Dashboard.Tests.Studio;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Scripting.Functions;

/// <summary>Every save rule, through the registered validator (real database for uniqueness, real python3 for the code).</summary>
[Collection(StudioAppCollection.Name)]
public sealed class FunctionDraftValidatorTests(StudioAppFixture fixture)
{
    private async Task<ValidationResult> ValidateAsync(FunctionDraft draft, TestData.Tenant? tenant = null)
    {
        tenant ??= await fixture.NewTenantAsync();
        await using var scope = fixture.ScopeFor(tenant);
        return await scope.Validator().ValidateAsync(draft);
    }

    private static void AssertOnly(ValidationResult result, string code)
    {
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.ErrorCode == code);
        Assert.All(result.Errors, e => Assert.Equal(code, e.ErrorCode));
    }

    private static FunctionDraft Action(params ArgumentDefinition[] arguments) => new()
    {
        Kind = FunctionKind.CustomAction,
        Name = "Lookup",
        Code = "def execute_action(context):\n    return context['args']\n",
        Arguments = arguments.ToList(),
    };

    [Fact]
    public async Task Validate_ValidWidget_Passes()
    {
        var result = await ValidateAsync(FunctionDrafts.Widget());
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public async Task Validate_ValidActionWithArguments_Passes()
    {
        var result = await ValidateAsync(Action(new("orderId"), new("amount", "number", "Total", Required: false), new("flags", "json")));
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Validate_EmptyName_IsRequired(string name) =>
        AssertOnly(await ValidateAsync(FunctionDrafts.Widget(name)), FunctionRules.NameRequired);

    [Fact]
    public async Task Validate_LongName_IsTooLong() =>
        AssertOnly(await ValidateAsync(FunctionDrafts.Widget(new string('n', 201))), FunctionRules.NameTooLong);

    [Fact]
    public async Task Validate_NameOfAnotherFunctionOfTheSameKind_IsTaken_CaseInsensitively()
    {
        var tenant = await fixture.NewTenantAsync();
        await using (var scope = fixture.ScopeFor(tenant))
            Assert.True((await scope.Get<FunctionService>().CreateAsync(FunctionDrafts.Widget("CRM"))).Succeeded);

        var result = await ValidateAsync(FunctionDrafts.Widget("crm "), tenant);
        AssertOnly(result, FunctionRules.NameTaken);
        Assert.Contains("already a sidebar widget named 'crm'", result.Errors.Single().ErrorMessage);
    }

    [Fact]
    public async Task Validate_SameNameForAnotherKindOrOrganizationOrItself_IsAllowed()
    {
        var tenant = await fixture.NewTenantAsync();
        int id;
        await using (var scope = fixture.ScopeFor(tenant))
            id = (await scope.Get<FunctionService>().CreateAsync(FunctionDrafts.Widget("CRM"))).Function!.Id;

        var handler = new FunctionDraft { Kind = FunctionKind.EventHandler, Name = "CRM", EventType = EventTypes.ConversationClosed,
            Code = "def handle_event(context):\n    return None\n" };
        Assert.True((await ValidateAsync(handler, tenant)).IsValid);
        Assert.True((await ValidateAsync(FunctionDrafts.Widget("CRM"))).IsValid); // another organization
        var self = FunctionDrafts.Widget("CRM");
        self.FunctionId = id;
        Assert.True((await ValidateAsync(self, tenant)).IsValid);
        Assert.False((await ValidateAsync(FunctionDrafts.Widget("CRM"), tenant)).IsValid); // control: a new one is refused
    }

    [Fact]
    public async Task Validate_LongDescription_IsTooLong()
    {
        var draft = FunctionDrafts.Widget();
        draft.Description = new string('d', 2001);
        AssertOnly(await ValidateAsync(draft), FunctionRules.DescriptionTooLong);
    }

    [Fact]
    public async Task Validate_EmptyCode_IsRequiredAndNamesTheEntryPoint()
    {
        var result = await ValidateAsync(FunctionDrafts.Widget(code: "  \n"));
        AssertOnly(result, FunctionRules.CodeRequired);
        Assert.Contains("def get_sidebar_data(context):", result.Errors.Single().ErrorMessage);
    }

    [Fact]
    public async Task Validate_HugeCode_IsTooLong() =>
        AssertOnly(await ValidateAsync(FunctionDrafts.Widget(code: FunctionDrafts.WidgetCode + "#" + new string('x', 200_000))), FunctionRules.CodeTooLong);

    [Fact]
    public async Task Validate_SyntaxError_ReportsLineAndColumnForTheMarker()
    {
        var result = await ValidateAsync(FunctionDrafts.Widget(code: "def get_sidebar_data(context):\n    return {'title': 'x'\n"));
        AssertOnly(result, FunctionRules.CodeSyntax);
        var failure = result.Errors.Single();
        var error = Assert.IsType<ScriptError>(failure.CustomState);
        Assert.NotNull(error.Line);
        Assert.StartsWith($"Line {error.Line}, column {error.Column}: SyntaxError:", failure.ErrorMessage);
    }

    [Fact]
    public async Task Validate_MissingEntryPoint_IsAnEntryPointError()
    {
        var result = await ValidateAsync(FunctionDrafts.Widget(code: "def handle_event(context):\n    return 1\n"));
        AssertOnly(result, FunctionRules.EntryPoint);
        Assert.Contains("get_sidebar_data", result.Errors.Single().ErrorMessage);
    }

    [Fact]
    public async Task Validate_EntryPointWithTwoParameters_IsAnEntryPointErrorOnItsLine()
    {
        var result = await ValidateAsync(FunctionDrafts.Widget(code: "\n\ndef get_sidebar_data(context, other):\n    return 1\n"));
        AssertOnly(result, FunctionRules.EntryPoint);
        Assert.Equal(3, ((ScriptError)result.Errors.Single().CustomState).Line);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("conversation_reopened")]
    public async Task Validate_HandlerWithoutAKnownEventType_IsRefused(string? eventType)
    {
        var draft = new FunctionDraft { Kind = FunctionKind.EventHandler, Name = "Sync", EventType = eventType,
            Code = "def handle_event(context):\n    return None\n" };
        AssertOnly(await ValidateAsync(draft), FunctionRules.EventTypeRequired);
    }

    [Fact]
    public async Task Validate_EventTypeOnAWidget_IsNotAllowed()
    {
        var draft = FunctionDrafts.Widget();
        draft.EventType = EventTypes.ConversationClosed;
        AssertOnly(await ValidateAsync(draft), FunctionRules.EventTypeNotAllowed);
    }

    [Fact]
    public async Task Validate_ArgumentsOnAWidget_AreNotAllowed()
    {
        var draft = FunctionDrafts.Widget();
        draft.Arguments = [new ArgumentDefinition("x")];
        AssertOnly(await ValidateAsync(draft), FunctionRules.ArgumentsNotAllowed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Validate_ArgumentWithoutName_IsRefused(string name) =>
        AssertOnly(await ValidateAsync(Action(new ArgumentDefinition(name))), FunctionRules.ArgumentNameRequired);

    [Theory]
    [InlineData("order id")]
    [InlineData("1st")]
    [InlineData("order-id")]
    public async Task Validate_ArgumentNameThatIsNotAnIdentifier_IsInvalid(string name)
    {
        var result = await ValidateAsync(Action(new ArgumentDefinition(name)));
        AssertOnly(result, FunctionRules.ArgumentNameInvalid);
        Assert.Equal("Arguments[0].Name", result.Errors.Single().PropertyName);
    }

    [Fact]
    public async Task Validate_DuplicateArgumentNames_AreRefused()
    {
        var result = await ValidateAsync(Action(new("orderId"), new("email"), new("orderId", "integer")));
        AssertOnly(result, FunctionRules.ArgumentNameDuplicate);
        Assert.Contains("'orderId'", result.Errors.Single().ErrorMessage);
    }

    [Fact]
    public async Task Validate_UnknownArgumentType_IsRefused()
    {
        var result = await ValidateAsync(Action(new ArgumentDefinition("orderId", "date")));
        AssertOnly(result, FunctionRules.ArgumentTypeInvalid);
        Assert.Contains("string, number, integer, boolean, json", result.Errors.Single().ErrorMessage);
    }

    [Fact]
    public async Task Validate_LongArgumentDescription_IsRefused() =>
        AssertOnly(await ValidateAsync(Action(new ArgumentDefinition("orderId", Description: new string('d', 501)))), FunctionRules.ArgumentDescriptionTooLong);

    [Fact]
    public async Task Validate_TooManyArguments_IsRefused() =>
        AssertOnly(await ValidateAsync(Action(Enumerable.Range(0, 31).Select(i => new ArgumentDefinition($"a{i}")).ToArray())), FunctionRules.TooManyArguments);

    [Fact]
    public async Task Validate_ConditionProviderWithArguments_UsesCheckCondition()
    {
        var draft = new FunctionDraft { Kind = FunctionKind.ConditionProvider, Name = "VIP", Arguments = [new("threshold", "number")],
            Code = "def check_condition(context):\n    return True\n" };
        Assert.True((await ValidateAsync(draft)).IsValid);
        draft.Code = "def execute_action(context):\n    return True\n";
        AssertOnly(await ValidateAsync(draft), FunctionRules.EntryPoint);
    }
}
