using Ferry.Schema;
using Npgsql;

namespace Ferry.Target;

/// <summary>
/// A transform's enum types (<see cref="EnumModel.Reusable"/>) the target already has: one with every label the copy
/// writes is used as it is; one that lacks some is refused before anything is written, naming what to do.
/// </summary>
internal static class ReusedEnums
{
    /// <summary>The plan's reusable enums the target has with all their labels (<c>schema.name</c>); refuses one that lacks labels.</summary>
    public static async Task<HashSet<string>> CheckAsync(NpgsqlConnection connection, SchemaPlan plan, IReadOnlySet<string> existingTypes, CancellationToken cancellationToken)
    {
        var reused = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in plan.Enums.Where(e => e.Reusable && existingTypes.Contains(e.DisplayName)))
        {
            // Not an enum (a domain, a table's row type): left to the refusal of what the target already has.
            if (await LabelsAsync(connection, type, cancellationToken) is not { } labels)
                continue;
            var missing = type.Labels.Except(labels, StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                throw new FerryException(
                    $"The target's enum type {type.DisplayName} has the labels {Quoted(labels)}, but the transform's enum({type.Name}) maps values to {Quoted(missing)} too. " +
                    $"Nothing was written. Add {(missing.Count == 1 ? "it" : "them")} with a migration ({string.Join("; ", missing.Select(l => $"ALTER TYPE {type.QualifiedName} ADD VALUE {Identifiers.StandardLiteral(l)}"))}), " +
                    "or copy with --replace, which drops the copy's tables and enum types where they exist and creates them again.",
                    FailureKind.Configuration);
            }

            reused.Add(type.DisplayName);
        }

        return reused;
    }

    /// <summary>The enum's labels in their order; null when the type is not an enum.</summary>
    static async Task<List<string>?> LabelsAsync(NpgsqlConnection connection, EnumModel type, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT t.typtype = 'e', e.enumlabel::text
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_enum e ON e.enumtypid = t.oid
            WHERE n.nspname = $1 AND t.typname = $2 ORDER BY e.enumsortorder
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = type.Schema });
        command.Parameters.Add(new NpgsqlParameter { Value = type.Name });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var labels = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!reader.GetBoolean(0))
                return null;
            if (!reader.IsDBNull(1))
                labels.Add(reader.GetString(1));
        }

        return labels;
    }

    static string Quoted(IEnumerable<string> labels) => string.Join(", ", labels.Select(l => $"'{l}'"));
}
