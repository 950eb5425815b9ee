namespace Octocom.Dashboard.Metadata;

/// <summary>One requested write: set <see cref="Key"/> to <see cref="Value"/>, or delete it when Value is null.</summary>
public sealed record MetadataChange(string Key, string? Value, string Source)
{
    public bool IsDelete => Value is null;
    public static MetadataChange Set(string key, string value, string source) => new(key, value, source);
    public static MetadataChange Delete(string key, string source) => new(key, null, source);
}

/// <summary>
/// How a batch with some invalid changes is applied.
/// <see cref="Partial"/>: valid changes are applied, invalid ones reported (chat widget data, agent edits: the
/// customer's data is never lost because one key is bad). <see cref="AllOrNothing"/>: one invalid change rejects the
/// whole batch (script effects: a run's effects land together or not at all).
/// </summary>
public enum MetadataBatchMode { Partial, AllOrNothing }

/// <summary>A change that was refused, with the rule it broke (a stable code) and a message naming the limit.</summary>
public sealed record MetadataRejection(string Key, string Rule, string Message);

public sealed record MetadataWriteResult(IReadOnlyList<MetadataChange> Applied, IReadOnlyList<MetadataRejection> Rejected)
{
    public bool AllApplied => Rejected.Count == 0;
    public static readonly MetadataWriteResult Empty = new([], []);
}

public static class MetadataRules
{
    public const string KeyRequired = "key_required";
    public const string KeyTooLong = "key_too_long";
    public const string KeyInvalidCharacters = "key_invalid_characters";
    public const string ValueTooLong = "value_too_long";
    public const string TooManyPairs = "too_many_pairs";
    public const string ReservedPrefix = "reserved_prefix";
    /// <summary>AllOrNothing batches: a valid change refused because another change in the batch was invalid.</summary>
    public const string BatchRejected = "batch_rejected";
}
