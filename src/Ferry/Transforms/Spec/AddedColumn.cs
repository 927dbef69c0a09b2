using Ferry.Project;

namespace Ferry.Transforms.Spec;

/// <summary>
/// A column the target table gains (<c>add: { tracking: { json: [utm_source, referrer], drop: true } }</c>): a
/// <c>jsonb</c> object of the named source columns (NULLs omitted); <see cref="DropFolded"/> leaves those columns out
/// of the target.
/// </summary>
public sealed record AddedColumn(string Name, ProjectValue Origin, IReadOnlyList<string> Json, bool DropFolded);
