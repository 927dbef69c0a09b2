using System.Security.Cryptography;
using System.Text;
using Ferry.Copy;

namespace Ferry.Target;

/// <summary>
/// What decides which rows a copy reads and how it changes them, beyond its source: the filters, derived tables,
/// renames, column steps and the transform's content (<see cref="CopyOptions.TransformDigest"/>), as one SHA-256 that
/// <c>ferry.copy_state</c> keeps per table. <c>--resume</c> keeps a loaded table only under the same digest, so rows
/// read under another <c>where:</c> or transform are never mixed with the new ones.
/// </summary>
internal static class ResumeDigest
{
    const char Separator = '\u001f';

    /// <summary>The digest of <paramref name="options"/>; null when it neither filters nor transforms (as copies before filters were).</summary>
    public static string? Of(CopyOptions options)
    {
        var text = new StringBuilder();
        void Line(params string?[] parts) => text.Append(string.Join(Separator, parts)).Append('\n');
        foreach (var (table, condition) in options.Filters.OrderBy(f => f.Key, StringComparer.Ordinal))
            Line("where", table, condition);
        foreach (var derived in options.DerivedTables.OrderBy(d => d.Name, StringComparer.Ordinal))
            Line("derived", derived.Name, derived.Query, string.Join(',', derived.PrimaryKey));
        foreach (var (table, rename) in options.TableRenames.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            Line("rename", table, rename.Name, rename.Schema,
                string.Join(',', rename.ColumnRenames.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key + "=" + c.Value)),
                string.Join(',', rename.DroppedColumns.Order(StringComparer.Ordinal)));
        }

        foreach (var (column, steps) in options.ColumnSteps.OrderBy(s => s.Key, StringComparer.Ordinal))
            Line("steps", column, string.Join(", then ", steps.Select(s => s.Description)));
        if (options.TransformDigest is { } transform)
            Line("transform", transform);
        return text.Length == 0 ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
