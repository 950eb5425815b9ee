using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Octocom.Dashboard.Actions;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Functions;
using Octocom.Dashboard.Tests.TestInfrastructure;

namespace Octocom.Dashboard.Tests.E2E;

/// <summary>Real Kestrel + Debian Chromium + real python3: an admin writes, saves and tests scripts in Monaco.</summary>
[Collection(E2ECollection.Name)]
public sealed class StudioE2ETests(BrowserFixture browser, DashboardServerFixture server)
{
    private const string Admin = "admin@demo.octocom.local";

    private async Task<Conversation> ConversationAsync()
    {
        await using var scope = server.Server.ScopeFor(1);
        await using var db = scope.Db();
        return await db.Conversations.OrderBy(c => c.PublicId).FirstAsync();
    }

    private static async Task WaitForEditorAsync(IPage page)
    {
        await page.WaitForSelectorAsync("[data-testid=code-editor][data-ready=true]");
        await page.WaitForSelectorAsync("#studio-editor .view-lines");
    }

    /// <summary>
    /// Replaces the editor's content by typing, line by line (Monaco auto-indents after ':'), and checks what arrived:
    /// on a busy machine a completion list can open after Escape and swallow an Enter, so a garbled attempt is retyped.
    /// </summary>
    private static async Task TypeCodeAsync(IPage page, params string[] lines)
    {
        var expected = string.Join("\n", lines.Select(l => l.Trim()));
        var typed = "";
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await TypeLinesAsync(page, lines);
            typed = await page.EvaluateAsync<string>("""
                () => {
                    const editors = monaco.editor.getEditors ? monaco.editor.getEditors() : [];
                    const editor = editors.find(e => e.getContainerDomNode().closest('#studio-editor'));
                    return (editor ? editor.getModel() : monaco.editor.getModels()[0]).getValue();
                }
                """);
            if (string.Join("\n", typed.Split('\n').Select(l => l.Trim())) == expected) return;
        }
        Assert.Fail($"Monaco did not take the typed code; it holds:\n{typed}");
    }

    /// <summary>Types without checking the result: for deliberately broken code, which Monaco's auto-closing changes.</summary>
    private static async Task TypeLinesAsync(IPage page, params string[] lines)
    {
        await page.ClickAsync("#studio-editor .view-lines");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.PressAsync("Delete");
        for (var i = 0; i < lines.Length; i++)
        {
            await page.Keyboard.TypeAsync(lines[i]);
            await page.Keyboard.PressAsync("Escape"); // close any completion list so Enter starts a new line
            if (i < lines.Length - 1) await page.Keyboard.PressAsync("Enter");
        }
    }

    private static Task<int[]> MarkerLinesAsync(IPage page) =>
        page.EvaluateAsync<int[]>("() => monaco.editor.getModelMarkers({ owner: 'octocom' }).map(m => m.startLineNumber)");

    [Fact]
    public async Task Admin_TypesAWidgetInMonaco_SavesWithCtrlS_AndTestRunsItByPublicId()
    {
        var conversation = await ConversationAsync();
        var name = "Typed widget " + Guid.NewGuid().ToString("N")[..6];
        var page = await browser.NewPageAsync();
        await page.LoginAsync(server.BaseUrl, Admin, "/scripts/new/widget");
        await WaitForEditorAsync(page);

        await page.FillAsync("input[data-testid=function-name]", name);
        await TypeCodeAsync(page,
            "def get_sidebar_data(context):",
            "print(\"typed-in-monaco\", context[\"conversation\"][\"publicId\"])",
            "return {\"title\": \"Typed\", \"items\": [{\"title\": context[\"conversation\"][\"subject\"], \"sections\": [{\"title\": \"Info\", \"fields\": {\"ID\": context[\"conversation\"][\"publicId\"]}}]}]}");
        await Assertions.Expect(page.Locator("input[data-testid=function-name]")).ToHaveValueAsync(name);
        await page.Keyboard.PressAsync("Control+S");

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/scripts/\d+$"));
        await Assertions.Expect(page.Locator("[data-testid=editor-version]")).ToHaveTextAsync("version 1");
        await using (var scope = server.Server.ScopeFor(1))
        {
            await using var db = scope.Db();
            var saved = await db.PythonFunctions.SingleAsync(f => f.Name == name);
            Assert.Equal(FunctionKind.SidebarWidget, saved.Kind);
            Assert.Contains("print(\"typed-in-monaco\"", saved.Code);
        }

        await page.FillAsync("input[data-testid=conversation-picker]", conversation.PublicId);
        await page.ClickAsync($"[data-testid=conversation-option][data-public-id='{conversation.PublicId}']");
        await page.ClickAsync("#studio-editor .view-lines");
        await page.Keyboard.PressAsync("Control+Enter");

        var card = page.Locator("[data-testid=run-widget-preview] [data-testid=widget-card]");
        await Assertions.Expect(card).ToHaveAttributeAsync("data-state", "ok", new() { Timeout = 30_000 });
        await Assertions.Expect(card).ToContainTextAsync(conversation.Subject);
        await Assertions.Expect(card).ToContainTextAsync(conversation.PublicId);
        // A dispatched click selects the tab the same way; a pointer click waits for the tab to be "stable", which timed
        // out on a loaded machine while the tab strip was still animating after the result arrived.
        await page.Locator("[data-testid=run-tabs] .mud-tab:has-text('stdout')").DispatchEventAsync("click");
        await Assertions.Expect(page.Locator("[data-testid=run-stdout]")).ToContainTextAsync($"typed-in-monaco {conversation.PublicId}");
        await Assertions.Expect(page.Locator("[data-testid=recent-run] [data-testid=recent-run-version]").First).ToHaveTextAsync("v1");
        await page.ScreenshotToAsync("studio-widget");
    }

    [Fact]
    public async Task Admin_IntroducesAnError_SeesTheMonacoMarkerOnThatLine()
    {
        var conversation = await ConversationAsync();
        int id;
        await using (var scope = server.Server.ScopeFor(1, Admin))
        {
            var result = await scope.Get<FunctionService>().CreateAsync(new FunctionDraft
            {
                Kind = FunctionKind.SidebarWidget,
                Name = "Marker widget " + Guid.NewGuid().ToString("N")[..6],
                Code = "def get_sidebar_data(context):\n    return {\"title\": \"ok\", \"items\": []}\n",
            });
            id = result.Function!.Id;
        }
        var page = await browser.NewPageAsync();
        await page.LoginAsync(server.BaseUrl, Admin, $"/scripts/{id}?conversation={conversation.PublicId}");
        await WaitForEditorAsync(page);
        await Assertions.Expect(page.Locator("input[data-testid=conversation-picker]")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(conversation.PublicId));

        // A runtime error on line 4: the failed test run marks it.
        await TypeCodeAsync(page,
            "def get_sidebar_data(context):",
            "total = 0",
            "count = len(context[\"conversation\"][\"messages\"]) * 0",
            "return {\"title\": str(total / count), \"items\": []}");
        await page.Keyboard.PressAsync("Control+Enter");

        await Assertions.Expect(page.Locator("[data-testid=run-error-line]")).ToHaveAttributeAsync("data-line", "4", new() { Timeout = 30_000 });
        await page.WaitForFunctionAsync("() => monaco.editor.getModelMarkers({ owner: 'octocom' }).length > 0");
        Assert.Equal(new[] { 4 }, await MarkerLinesAsync(page));
        var message = await page.EvaluateAsync<string>("() => monaco.editor.getModelMarkers({ owner: 'octocom' })[0].message");
        Assert.Contains("ZeroDivisionError", message);
        await Assertions.Expect(page.Locator("#studio-editor .squiggly-error").First).ToBeVisibleAsync();
        await page.ScreenshotToAsync("studio-marker");

        // A syntax error on line 2: saving refuses, names the line, and the marker moves there.
        await TypeLinesAsync(page,
            "def get_sidebar_data(context):",
            "return {\"title\": (\"x\", \"items\": []}");
        await page.Keyboard.PressAsync("Control+S");
        await Assertions.Expect(page.Locator("[data-testid=save-error][data-code=code_syntax]")).ToContainTextAsync("Line 2");
        await page.WaitForFunctionAsync("() => monaco.editor.getModelMarkers({ owner: 'octocom' }).some(m => m.startLineNumber === 2)");
        Assert.Equal(new[] { 2 }, await MarkerLinesAsync(page));
        await Assertions.Expect(page.Locator("[data-testid=editor-version]")).ToHaveTextAsync("version 1");
    }

    [Fact]
    public async Task Agent_RunsTheDemoOrderLookupFromTheConversationPage()
    {
        Conversation conversation;
        await using (var scope = server.Server.ScopeFor(1))
        {
            await using var db = scope.Db();
            conversation = await db.Conversations.Include(c => c.Metadata)
                .Where(c => c.Metadata.Any(m => m.Key == "chat-widget:recent_orders"))
                .OrderBy(c => c.PublicId).FirstAsync();
        }
        var orderId = System.Text.Json.Nodes.JsonNode.Parse(conversation.Metadata.Single(m => m.Key == "chat-widget:recent_orders").Value)![0]!["id"]!.ToString();
        var page = await browser.NewPageAsync();
        await page.LoginAsync(server.BaseUrl, "agent@demo.octocom.local", $"/conversations/{conversation.PublicId}");

        // The conversation view re-renders once its circuit has loaded the conversation; a click on the menu during that
        // swap is lost, so open it again until the item shows.
        var item = page.Locator($"[data-testid=run-action-item][data-name='{DemoActionsContributor.OrderLookupName}']");
        for (var attempt = 0; attempt < 3 && !await item.IsVisibleAsync(); attempt++)
        {
            await page.ClickAsync("[data-testid=run-action-menu] button");
            try { await item.WaitForAsync(new() { Timeout = 5_000 }); }
            catch (TimeoutException) { }
        }
        await item.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=run-action-live]")).ToBeVisibleAsync();
        await page.FillAsync("input[data-testid=arg-orderId]", orderId.ToLowerInvariant());
        await page.ClickAsync("[data-testid=run-action-run]");

        var result = page.Locator("[data-testid=run-action-dialog] [data-testid=run-result]");
        await Assertions.Expect(result).ToHaveAttributeAsync("data-status", "ok", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=run-result-json]")).ToContainTextAsync("\"found\": true");
        await Assertions.Expect(page.Locator("[data-testid=run-effects]")).ToHaveAttributeAsync("data-applied", "true");
        await using (var scope = server.Server.ScopeFor(1))
        {
            await using var db = scope.Db();
            var run = await db.ScriptRuns.OrderByDescending(r => r.Id).FirstAsync(r => r.ConversationId == conversation.Id);
            Assert.Equal((RunTrigger.Action, ScriptRunStatus.Ok, "agent@demo.octocom.local"), (run.Trigger, run.Status, run.TriggeredBy));
            Assert.True(await db.ConversationMetadata.AnyAsync(m => m.ConversationId == conversation.Id && m.Key == "action:last_order_lookup" && m.Value == orderId));
        }
    }
}
