using Ferry.Schema;
using Npgsql;

namespace Ferry.Target;

/// <summary>
/// Geometry columns need PostGIS in the target. Where the target database has no postgis extension (or its geometry
/// type is not on the search path), they become bytea holding the same WKB, with a note saying how to get geometry.
/// </summary>
internal static class GeometryColumns
{
    /// <summary>Makes the plan's geometry columns bytea when the target cannot take geometry; the notes saying so.</summary>
    public static async Task<IReadOnlyList<string>> FitAsync(NpgsqlConnection connection, SchemaPlan plan, CancellationToken cancellationToken)
    {
        var columns = plan.Tables.SelectMany(t => t.Columns.Where(c => c.Type.Kind == PgTypeKind.Geometry).Select(c => (Table: t, Column: c))).ToList();
        if (columns.Count == 0)
            return [];
        await using (var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis') AND to_regtype('geometry') IS NOT NULL", connection))
        {
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
                return [];
        }

        var names = string.Join(", ", columns.Select(c => $"{c.Table.DisplayName}.{c.Column.TargetName}" + (c.Column.Type.Srid is { } srid ? $" (SRID {srid})" : "")));
        foreach (var (_, column) in columns)
        {
            column.Type = PgType.Bytea;
            column.Rule = "GEOMETRY → bytea holding its WKB (the target has no postgis extension)";
        }

        return [$"{names}: the target database has no postgis extension, so geometries are stored as their WKB in bytea; " +
            "for geometry columns, CREATE EXTENSION postgis and copy again with --replace (or ALTER TABLE … ALTER COLUMN … TYPE geometry USING ST_GeomFromWKB(…, SRID))"];
    }
}
