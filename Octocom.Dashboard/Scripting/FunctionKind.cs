namespace Octocom.Dashboard.Scripting;

public enum FunctionKind { SidebarWidget, EventHandler, CustomAction, ConditionProvider }

public static class FunctionKinds
{
    /// <summary>The Python function each kind must define. Condition providers use <c>check_condition</c> (our choice; the seed names no entry point).</summary>
    public static string EntryPoint(this FunctionKind kind) => kind switch
    {
        FunctionKind.SidebarWidget => "get_sidebar_data",
        FunctionKind.EventHandler => "handle_event",
        FunctionKind.CustomAction => "execute_action",
        FunctionKind.ConditionProvider => "check_condition",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string Slug(this FunctionKind kind) => kind switch
    {
        FunctionKind.SidebarWidget => "widget",
        FunctionKind.EventHandler => "handler",
        FunctionKind.CustomAction => "action",
        FunctionKind.ConditionProvider => "condition",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static FunctionKind? FromSlug(string? slug) => slug?.ToLowerInvariant() switch
    {
        "widget" or "sidebar" or "sidebar_widget" or "sidebarwidget" => FunctionKind.SidebarWidget,
        "handler" or "event" or "event_handler" or "eventhandler" => FunctionKind.EventHandler,
        "action" or "custom_action" or "customaction" => FunctionKind.CustomAction,
        "condition" or "condition_provider" or "conditionprovider" => FunctionKind.ConditionProvider,
        _ => null,
    };

    public static string DisplayName(this FunctionKind kind) => kind switch
    {
        FunctionKind.SidebarWidget => "Sidebar widget",
        FunctionKind.EventHandler => "Event handler",
        FunctionKind.CustomAction => "Custom action",
        FunctionKind.ConditionProvider => "Condition provider",
        _ => kind.ToString(),
    };

    /// <summary>Seed 000's availability table: only sidebar widgets run without <c>args</c>.</summary>
    public static bool ReceivesArgs(this FunctionKind kind) => kind != FunctionKind.SidebarWidget;
}

/// <summary>The events a handler can subscribe to (seed 004, "Supported events").</summary>
public static class EventTypes
{
    public const string ConversationClosed = "conversation_closed";
    public const string ConversationHandedOff = "conversation_handed_off";
    public static readonly string[] All = [ConversationClosed, ConversationHandedOff];
}
