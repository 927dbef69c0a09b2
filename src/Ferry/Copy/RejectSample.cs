namespace Ferry.Copy;

/// <summary>A rejected row: its key as its line in the rejects file has it (primary-key values, or its row number and range), and the value.</summary>
public sealed record RejectSample(IReadOnlyList<KeyValuePair<string, string?>> Key, string? Value);
