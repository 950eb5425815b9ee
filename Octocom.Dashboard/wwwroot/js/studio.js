// The script studio's Monaco glue (imported as an ES module by Studio/Components/CodeEditor.razor):
// Python completions for the helper functions and context[...] keys, signature help, Ctrl+S / Ctrl+Enter bound
// inside the editor, and error markers. BlazorMonaco creates the editor; we find it by its element id.

const attached = new Map();          // editor id -> { editor, dotnetRef, argumentKeys, disposables }
let completions = { helpers: [], contextKeys: [] };
let providersRegistered = false;

function findEditor(id) {
    const holder = (window.blazorMonaco && window.blazorMonaco.editors || []).find(e => e.id === id);
    return holder ? holder.editor : null;
}

function editorForModel(model) {
    for (const entry of attached.values()) {
        if (entry.editor.getModel() === model) return entry;
    }
    return null;
}

// context["conversation"]["messages"][0][" -> { path: ["conversation", "messages", "*"], quote: '"', partial: "" }
const contextAccess = /\bcontext((?:\[\s*(?:"[^"\n]*"|'[^'\n]*'|\d+)\s*\])*)\[\s*(["']?)(\w*)$/;
const accessPart = /\[\s*(?:"([^"\n]*)"|'([^'\n]*)'|(\d+))\s*\]/g;

function parseContextAccess(textBeforeCursor) {
    const match = contextAccess.exec(textBeforeCursor);
    if (!match) return null;
    const path = [];
    for (const part of match[1].matchAll(accessPart)) {
        path.push(part[3] !== undefined ? "*" : (part[1] !== undefined ? part[1] : part[2]));
    }
    return { path, quote: match[2], partial: match[3] };
}

function samePath(a, b) {
    return a.length === b.length && a.every((key, i) => key === b[i]);
}

function contextKeySuggestions(model, position, access) {
    const entry = editorForModel(model);
    const keys = completions.contextKeys.concat(entry ? entry.argumentKeys : []);
    const range = {
        startLineNumber: position.lineNumber, endLineNumber: position.lineNumber,
        startColumn: position.column - access.partial.length, endColumn: position.column,
    };
    const seen = new Set();
    return keys.filter(k => samePath(k.path, access.path) && !seen.has(k.key) && seen.add(k.key)).map(k => ({
        label: k.key,
        kind: monaco.languages.CompletionItemKind.Field,
        detail: k.type,
        documentation: k.description,
        insertText: access.quote ? k.key : `"${k.key}"`,
        range,
        sortText: "0" + k.key,
    }));
}

function helperSuggestions(model, position) {
    const word = model.getWordUntilPosition(position);
    const range = {
        startLineNumber: position.lineNumber, endLineNumber: position.lineNumber,
        startColumn: word.startColumn, endColumn: word.endColumn,
    };
    return completions.helpers.map(h => ({
        label: h.name,
        kind: monaco.languages.CompletionItemKind.Function,
        detail: h.signature,
        documentation: { value: "```python\n" + h.signature + "\n```\n" + h.description },
        insertText: h.snippet,
        insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet,
        range,
    }));
}

function registerProviders() {
    if (providersRegistered) return;
    providersRegistered = true;
    monaco.languages.registerCompletionItemProvider("python", {
        triggerCharacters: ["[", "\"", "'"],
        provideCompletionItems(model, position) {
            const before = model.getValueInRange({
                startLineNumber: position.lineNumber, startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column,
            });
            const access = parseContextAccess(before);
            if (access) return { suggestions: contextKeySuggestions(model, position, access) };
            if (/["'#]/.test(before.replace(/"[^"]*"|'[^']*'/g, ""))) return { suggestions: [] }; // inside a string or comment
            return { suggestions: helperSuggestions(model, position) };
        },
    });
    monaco.languages.registerSignatureHelpProvider("python", {
        signatureHelpTriggerCharacters: ["(", ","],
        provideSignatureHelp(model, position) {
            const before = model.getValueInRange({
                startLineNumber: position.lineNumber, startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column,
            });
            // The innermost unclosed call on this line.
            let depth = 0, commas = 0, name = null;
            for (let i = before.length - 1; i >= 0; i--) {
                const c = before[i];
                if (c === ")" || c === "]" || c === "}") depth++;
                else if ((c === "(" || c === "[" || c === "{") && depth > 0) depth--;
                else if (c === "," && depth === 0) commas++;
                else if (c === "(" && depth === 0) {
                    const m = /(\w+)\s*$/.exec(before.slice(0, i));
                    name = m ? m[1] : null;
                    break;
                }
            }
            const helper = name && completions.helpers.find(h => h.name === name);
            if (!helper) return null;
            const params = helper.signature.slice(helper.signature.indexOf("(") + 1, -1).split(",").map(p => p.trim()).filter(p => p);
            return {
                value: {
                    signatures: [{ label: helper.signature, documentation: helper.description, parameters: params.map(p => ({ label: p })) }],
                    activeSignature: 0,
                    activeParameter: Math.min(commas, Math.max(params.length - 1, 0)),
                },
                dispose() { },
            };
        },
    });
}

/** Wires an editor created by BlazorMonaco: completions, Ctrl+S (SaveFromEditor) and Ctrl+Enter (RunFromEditor). */
export function attach(editorId, dotnetRef, data) {
    const editor = findEditor(editorId);
    if (!editor || typeof monaco === "undefined") return false;
    completions = { helpers: data.helpers || [], contextKeys: data.contextKeys || [] };
    registerProviders();
    detach(editorId);
    const disposables = [
        editor.addAction({
            id: "octocom.save", label: "Save function", keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS],
            run: () => dotnetRef.invokeMethodAsync("SaveFromEditor"),
        }),
        editor.addAction({
            id: "octocom.run", label: "Run test", keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
            run: () => dotnetRef.invokeMethodAsync("RunFromEditor"),
        }),
    ];
    // The same keys anywhere else on the page (name field, test panel): no browser "Save page" dialog.
    const onKeyDown = event => {
        if (!(event.ctrlKey || event.metaKey) || editor.hasTextFocus()) return;
        if (event.key === "s" || event.key === "S") {
            event.preventDefault();
            dotnetRef.invokeMethodAsync("SaveFromEditor");
        } else if (event.key === "Enter") {
            event.preventDefault();
            dotnetRef.invokeMethodAsync("RunFromEditor");
        }
    };
    document.addEventListener("keydown", onKeyDown);
    disposables.push({ dispose: () => document.removeEventListener("keydown", onKeyDown) });
    attached.set(editorId, { editor, dotnetRef, argumentKeys: data.argumentKeys || [], disposables });
    return true;
}

export function setArgumentKeys(editorId, keys) {
    const entry = attached.get(editorId);
    if (entry) entry.argumentKeys = keys || [];
}

/** markers: [{ line, column?, message, severity: "error" | "warning" }] (1-based). Replaces the editor's markers. */
export function setMarkers(editorId, markers) {
    const editor = findEditor(editorId);
    const model = editor && editor.getModel();
    if (!model) return;
    const lineCount = model.getLineCount();
    monaco.editor.setModelMarkers(model, "octocom", (markers || []).filter(m => m.line >= 1).map(m => {
        const line = Math.min(m.line, lineCount);
        const first = model.getLineFirstNonWhitespaceColumn(line) || 1;
        const last = model.getLineMaxColumn(line);
        const start = m.column ? Math.min(m.column, last) : first;
        return {
            startLineNumber: line, endLineNumber: line,
            startColumn: start, endColumn: m.column ? Math.max(start + 1, last) : Math.max(last, start + 1),
            message: m.message,
            severity: m.severity === "warning" ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Error,
        };
    }));
    const top = (markers || []).find(m => m.line >= 1);
    if (top) editor.revealLineInCenterIfOutsideViewport(Math.min(top.line, lineCount));
}

export function clearMarkers(editorId) {
    const editor = findEditor(editorId);
    const model = editor && editor.getModel();
    if (model) monaco.editor.setModelMarkers(model, "octocom", []);
}

export function focus(editorId) {
    const editor = findEditor(editorId);
    if (editor) editor.focus();
}

export function detach(editorId) {
    const entry = attached.get(editorId);
    if (!entry) return;
    entry.disposables.forEach(d => d && d.dispose && d.dispose());
    attached.delete(editorId);
}
