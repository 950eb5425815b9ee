using Octocom.Dashboard.Scripting;

namespace Octocom.Dashboard.Events;

/// <summary>
/// The run log's filter state as it lives in the URL (<c>/runs?function=3&amp;kind=handler&amp;status=error&amp;trigger=event&amp;conversation=A1B2C3&amp;page=2</c>),
/// so a filtered view can be shared. Unknown values are ignored rather than refused.
/// </summary>
public sealed record RunLogQuery(int? FunctionId, string? Kind, string? Status, string? Trigger, string? Conversation, long? Job, int Page = 1)
{
    public RunFilter ToFilter() => new(
        FunctionId,
        FunctionKinds.FromSlug(Kind),
        ParseEnum<ScriptRunStatus>(Status),
        ParseEnum<RunTrigger>(Trigger),
        string.IsNullOrWhiteSpace(Conversation) ? null : Conversation.Trim(),
        Job);

    /// <summary>Query parameters for NavigationManager.GetUriWithQueryParameters (null removes one; a filter change goes back to page 1).</summary>
    public IReadOnlyDictionary<string, object?> ToQueryParameters() => new Dictionary<string, object?>
    {
        ["function"] = FunctionId,
        ["kind"] = Empty(Kind),
        ["status"] = Empty(Status),
        ["trigger"] = Empty(Trigger),
        ["conversation"] = Empty(Conversation?.Trim()),
        ["job"] = Job,
        ["page"] = Page > 1 ? Page : null,
    };

    public static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static T? ParseEnum<T>(string? value) where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
