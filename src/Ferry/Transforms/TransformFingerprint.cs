using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ferry.Transforms.Spec;

namespace Ferry.Transforms;

/// <summary>
/// A transform's effective content as a SHA-256 (<see cref="Copy.CopyOptions.TransformDigest"/>): every key that changes
/// which rows are read or what they become, and none that does not (where the file is, its lines, its comments, the
/// order of its tables), so that <c>--resume</c> refuses to continue a copy under a changed transform.
/// </summary>
public static class TransformFingerprint
{
    const char Separator = '\u001f';

    public static string Of(TransformSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var text = new StringBuilder();
        void Line(params object?[] parts) =>
            text.Append(string.Join(Separator, parts.Select(p => Convert.ToString(p, CultureInfo.InvariantCulture)))).Append('\n');
        foreach (var table in spec.Tables.OrderBy(t => t.Table.Qualified, StringComparer.Ordinal))
        {
            var name = table.Table;
            Line("table", name.Schema, name.Name, name.SchemaQuoted, name.NameQuoted, table.Rename, table.Schema, table.Where?.Text,
                table.Query?.Text, string.Join(',', table.PrimaryKey));
            foreach (var c in table.Columns)
            {
                Line("column", c.Column, c.Rename, c.Drop, c.Hash, c.Cost, c.Normalize, c.Validate, c.Region, c.Invalid, c.Unmapped, c.Default, c.Type,
                    c.Map is null ? null : string.Join(Separator, c.Map.Select(p => p.Key + "\u001e" + p.Value)));
            }

            foreach (var added in table.Add)
                Line("add", added.Name, string.Join(',', added.Json), added.DropFolded);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
