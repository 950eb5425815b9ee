using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Audit;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Functions;
using Octocom.Dashboard.Tests.Studio;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.Scripting.Functions;

/// <summary>Versioning, restore, reorder, activation, deletion, audit and tenant isolation of Python functions.</summary>
[Collection(StudioAppCollection.Name)]
public sealed class FunctionServiceTests(StudioAppFixture fixture)
{
    private async Task<(TestData.Tenant Tenant, PythonFunction Function)> CreateWidgetAsync(string name = "CRM", TestData.Tenant? tenant = null)
    {
        tenant ??= await fixture.NewTenantAsync();
        await using var scope = fixture.ScopeFor(tenant, "alice@acme.test");
        var result = await scope.Get<FunctionService>().CreateAsync(FunctionDrafts.Widget(name));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        return (tenant, result.Function!);
    }

    private static FunctionDraft Edit(PythonFunction function, string code)
    {
        var draft = FunctionDraft.From(function);
        draft.Code = code;
        return draft;
    }

    private Task<List<AuditEntry>> AuditAsync(TestData.Tenant tenant) =>
        fixture.App.QueryAsync(tenant.OrganizationId, db => db.AuditEntries.Where(a => a.EntityType == AuditEntityTypes.PythonFunction).OrderBy(a => a.Id).ToListAsync());

    private Task<List<PythonFunctionVersion>> VersionsAsync(TestData.Tenant tenant, int id) =>
        fixture.App.QueryAsync(tenant.OrganizationId, db => db.PythonFunctionVersions.Where(v => v.FunctionId == id).OrderBy(v => v.Version).ToListAsync());

    [Fact]
    public async Task Create_StoresVersionOneWithASnapshotAndAnAuditEntry()
    {
        var (tenant, function) = await CreateWidgetAsync();

        Assert.Equal(1, function.Version);
        Assert.Equal("alice@acme.test", function.UpdatedBy);
        var version = Assert.Single(await VersionsAsync(tenant, function.Id));
        Assert.Equal((1, "CRM", FunctionDrafts.WidgetCode, "alice@acme.test"), (version.Version, version.Name, version.Code, version.CreatedBy));
        var audit = Assert.Single(await AuditAsync(tenant));
        Assert.Equal((AuditActions.Created, function.Id.ToString(), "alice@acme.test"), (audit.Action, audit.EntityId, audit.UserName));
        Assert.Contains("sidebar widget 'CRM'", audit.Summary);
    }

    [Fact]
    public async Task Create_Invalid_StoresNothing()
    {
        var tenant = await fixture.NewTenantAsync();
        await using var scope = fixture.ScopeFor(tenant);
        var result = await scope.Get<FunctionService>().CreateAsync(FunctionDrafts.Widget(code: "def get_sidebar_data(context:\n"));

        Assert.False(result.Succeeded);
        Assert.NotNull(result.CodeError?.Line);
        Assert.Equal(0, await fixture.App.QueryAsync(tenant.OrganizationId, db => db.PythonFunctions.CountAsync()));
        Assert.Empty(await AuditAsync(tenant));
    }

    [Fact]
    public async Task Update_EverySave_IncrementsTheVersionAndKeepsEachState()
    {
        var (tenant, function) = await CreateWidgetAsync();
        await using var scope = fixture.ScopeFor(tenant, "bob@acme.test");
        var service = scope.Get<FunctionService>();

        var v2 = await service.UpdateAsync(Edit(function, FunctionDrafts.WidgetCode + "# two\n"), expectedVersion: 1);
        var v3 = await service.UpdateAsync(Edit(v2.Function!, FunctionDrafts.WidgetCode + "# three\n"), expectedVersion: 2);

        Assert.Equal(3, v3.Function!.Version);
        Assert.Equal("bob@acme.test", v3.Function.UpdatedBy);
        var versions = await VersionsAsync(tenant, function.Id);
        Assert.Equal([1, 2, 3], versions.Select(v => v.Version));
        Assert.EndsWith("# two\n", versions[1].Code);
        Assert.EndsWith("# three\n", versions[2].Code);
        Assert.Equal([AuditActions.Created, AuditActions.Updated, AuditActions.Updated], (await AuditAsync(tenant)).Select(a => a.Action));
    }

    [Fact]
    public async Task Update_SomeoneSavedSince_IsAConflictAndStoresNothing()
    {
        var (tenant, function) = await CreateWidgetAsync();
        await using var scope = fixture.ScopeFor(tenant, "bob@acme.test");
        var service = scope.Get<FunctionService>();
        Assert.True((await service.UpdateAsync(Edit(function, FunctionDrafts.WidgetCode + "# theirs\n"), 1)).Succeeded);

        var mine = await service.UpdateAsync(Edit(function, FunctionDrafts.WidgetCode + "# mine\n"), expectedVersion: 1);

        Assert.False(mine.Succeeded);
        Assert.Equal(2, mine.Conflict!.CurrentVersion);
        Assert.Equal("bob@acme.test", mine.Conflict.UpdatedBy);
        Assert.EndsWith("# theirs\n", (await service.GetAsync(function.Id))!.Code);

        var overwrite = await service.UpdateAsync(Edit(function, FunctionDrafts.WidgetCode + "# mine\n"), expectedVersion: null);
        Assert.Equal(3, overwrite.Function!.Version);
    }

    [Fact]
    public async Task Update_InvalidCode_KeepsTheSavedVersion()
    {
        var (tenant, function) = await CreateWidgetAsync();
        await using var scope = fixture.ScopeFor(tenant);
        var service = scope.Get<FunctionService>();

        var result = await service.UpdateAsync(Edit(function, "def get_sidebar_data(context):\n    return {\n"), 1);

        Assert.False(result.Succeeded);
        Assert.Equal(FunctionRules.CodeSyntax, result.Errors.Single().ErrorCode);
        Assert.Equal(1, (await service.GetAsync(function.Id))!.Version);
        Assert.Single(await VersionsAsync(tenant, function.Id));
    }

    [Fact]
    public async Task Update_CannotChangeTheKind_AndDropsFieldsTheKindDoesNotHave()
    {
        var (tenant, function) = await CreateWidgetAsync();
        await using var scope = fixture.ScopeFor(tenant);
        var draft = Edit(function, FunctionDrafts.WidgetCode);
        draft.Kind = FunctionKind.EventHandler;
        draft.EventType = EventTypes.ConversationClosed;

        var result = await scope.Get<FunctionService>().UpdateAsync(draft, 1);

        // The stored kind wins; a widget's code is validated as a widget and the event type is refused.
        Assert.False(result.Succeeded);
        Assert.Equal(FunctionRules.EventTypeNotAllowed, result.Errors.Single().ErrorCode);
    }

    [Fact]
    public async Task Restore_SavesTheOldContentAsANewVersion()
    {
        var (tenant, function) = await CreateWidgetAsync();
        await using var scope = fixture.ScopeFor(tenant);
        var service = scope.Get<FunctionService>();
        var renamed = Edit(function, FunctionDrafts.WidgetCode + "# v2\n");
        renamed.Name = "CRM v2";
        await service.UpdateAsync(renamed, 1);

        var restored = await service.RestoreAsync(function.Id, version: 1, expectedVersion: 2);

        Assert.True(restored.Succeeded, string.Join("; ", restored.Errors));
        Assert.Equal(3, restored.Function!.Version);
        Assert.Equal(("CRM", FunctionDrafts.WidgetCode), (restored.Function.Name, restored.Function.Code));
        Assert.Equal([1, 2, 3], (await VersionsAsync(tenant, function.Id)).Select(v => v.Version));
        var audit = (await AuditAsync(tenant)).Last();
        Assert.Equal(AuditActions.Restored, audit.Action);
        Assert.Contains("version 1", audit.Summary);
    }

    [Fact]
    public async Task Restore_UnknownVersionOrStaleEditor_ChangesNothing()
    {
        var (tenant, function) = await CreateWidgetAsync();
        await using var scope = fixture.ScopeFor(tenant);
        var service = scope.Get<FunctionService>();
        await service.UpdateAsync(Edit(function, FunctionDrafts.WidgetCode + "# v2\n"), 1);

        Assert.True((await service.RestoreAsync(function.Id, 9, null)).NotFound);
        Assert.NotNull((await service.RestoreAsync(function.Id, 1, expectedVersion: 1)).Conflict);
        Assert.Equal(2, (await service.GetAsync(function.Id))!.Version);
    }

    [Fact]
    public async Task SetActive_TogglesWithoutANewVersion_AndIsAudited()
    {
        var (tenant, function) = await CreateWidgetAsync();
        await using var scope = fixture.ScopeFor(tenant);
        var service = scope.Get<FunctionService>();

        Assert.True(await service.SetActiveAsync(function.Id, false));

        var stored = (await service.GetAsync(function.Id))!;
        Assert.False(stored.IsActive);
        Assert.Equal(1, stored.Version);
        Assert.Equal(AuditActions.Deactivated, (await AuditAsync(tenant)).Last().Action);
        Assert.True(await service.SetActiveAsync(function.Id, true));
        Assert.Equal(AuditActions.Activated, (await AuditAsync(tenant)).Last().Action);
    }

    [Fact]
    public async Task CreateAndReorder_SetTheSidebarOrder()
    {
        var (tenant, a) = await CreateWidgetAsync("A");
        var (_, b) = await CreateWidgetAsync("B", tenant);
        var (_, c) = await CreateWidgetAsync("C", tenant);
        Assert.Equal([0, 1, 2], new[] { a, b, c }.Select(f => f.SortOrder));
        await using var scope = fixture.ScopeFor(tenant);
        var service = scope.Get<FunctionService>();

        Assert.True(await service.ReorderAsync(FunctionKind.SidebarWidget, [c.Id, a.Id, b.Id]));
        Assert.Equal(["C", "A", "B"], (await service.ListAsync()).Select(f => f.Name));

        Assert.True(await service.MoveAsync(b.Id, -1));
        Assert.Equal(["C", "B", "A"], (await service.ListAsync()).Select(f => f.Name));
        Assert.False(await service.MoveAsync(c.Id, -1)); // already first
        Assert.Equal("reordered", (await AuditAsync(tenant)).Last().Action);
    }

    [Fact]
    public async Task Delete_RemovesTheFunctionAndItsVersions_KeepsItsRuns()
    {
        var (tenant, function) = await CreateWidgetAsync();
        var conversation = await fixture.App.CreateConversationAsync(tenant);
        await using var scope = fixture.ScopeFor(tenant);
        var run = await scope.Get<ScriptRunner>().RunAsync(new ScriptRunRequest
        {
            Kind = FunctionKind.SidebarWidget, Code = function.Code, FunctionId = function.Id, FunctionVersion = 1,
            Conversation = conversation.PublicId, Limits = StudioAppFixture.ShortLimits(),
        });

        Assert.True(await scope.Get<FunctionService>().DeleteAsync(function.Id));

        Assert.Null(await scope.Get<FunctionService>().GetAsync(function.Id));
        Assert.Empty(await VersionsAsync(tenant, function.Id));
        var stored = await fixture.App.QueryAsync(tenant.OrganizationId, db => db.ScriptRuns.SingleAsync(r => r.Id == run.RunId));
        Assert.Null(stored.FunctionId);
        Assert.Equal(AuditActions.Deleted, (await AuditAsync(tenant)).Last().Action);
    }

    [Fact]
    public async Task List_ShowsTheLastRunAndWhoEditedLast()
    {
        var (tenant, function) = await CreateWidgetAsync();
        var conversation = await fixture.App.CreateConversationAsync(tenant);
        await using var scope = fixture.ScopeFor(tenant);
        var summaryBefore = Assert.Single(await scope.Get<FunctionService>().ListAsync());
        Assert.Null(summaryBefore.LastRun);

        await scope.Get<ScriptRunner>().RunAsync(new ScriptRunRequest
        {
            Kind = FunctionKind.SidebarWidget, Code = "def get_sidebar_data(context):\n    raise ValueError('x')\n",
            FunctionId = function.Id, FunctionVersion = 1, Conversation = conversation.PublicId, Limits = StudioAppFixture.ShortLimits(),
        });

        var summary = Assert.Single(await scope.Get<FunctionService>().ListAsync());
        Assert.Equal((ScriptRunStatus.Error, 1, RunTrigger.Test), (summary.LastRun!.Status, summary.LastRun.FunctionVersion, summary.LastRun.Trigger));
        Assert.Equal("alice@acme.test", summary.UpdatedBy);
        var recent = Assert.Single(await scope.Get<FunctionService>().RecentRunsAsync(function.Id));
        Assert.Equal(2, recent.ErrorLine);
    }

    [Fact]
    public async Task OtherOrganization_CannotSeeOrChangeTheFunction()
    {
        var (owner, function) = await CreateWidgetAsync();
        var other = await fixture.NewTenantAsync();
        await using var scope = fixture.ScopeFor(other, "mallory@evil.test");
        var service = scope.Get<FunctionService>();

        Assert.Null(await service.GetAsync(function.Id));
        Assert.Empty(await service.ListAsync());
        Assert.Empty(await service.ListVersionsAsync(function.Id));
        Assert.Null(await service.GetVersionAsync(function.Id, 1));
        Assert.True((await service.UpdateAsync(Edit(function, FunctionDrafts.WidgetCode + "# pwned\n"), null)).NotFound);
        Assert.True((await service.RestoreAsync(function.Id, 1, null)).NotFound);
        Assert.False(await service.SetActiveAsync(function.Id, false));
        Assert.False(await service.MoveAsync(function.Id, 1));
        Assert.False(await service.DeleteAsync(function.Id));

        await using var ownerScope = fixture.ScopeFor(owner);
        var stored = (await ownerScope.Get<FunctionService>().GetAsync(function.Id))!;
        Assert.Equal((1, true, FunctionDrafts.WidgetCode), (stored.Version, stored.IsActive, stored.Code));
        Assert.Single(await AuditAsync(owner));
    }
}
