namespace Ferry.Schema;

/// <summary>
/// A <c>jsonb</c> column a transform adds to a table (<c>add: { tracking: { json: [utm_source, referrer] } }</c>): an
/// object whose keys are the <see cref="Columns"/> as listed and whose values are theirs, NULLs omitted.
/// <see cref="DropFolded"/> leaves the folded columns out of the target (they are still read).
/// <see cref="Origin"/> names the file and line for refusals.
/// </summary>
public sealed record JsonFold(string Name, IReadOnlyList<string> Columns, bool DropFolded, string Origin);
