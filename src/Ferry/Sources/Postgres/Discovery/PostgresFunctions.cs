using Ferry.Schema;
using Ferry.Sources.Postgres.Deparsed;
using Npgsql;

namespace Ferry.Sources.Postgres.Discovery;

/// <summary>
/// A PostgreSQL source's functions, procedures and triggers as the copy makes them: pg_get_functiondef's and
/// pg_get_triggerdef's text, with the names in a function's signature and a trigger's definition moved to the
/// target's (a function's body is its own language's text and stays as it is).
/// </summary>
internal static class PostgresFunctions
{
    static readonly string FunctionsSql = Internal.EmbeddedSql.Catalog(typeof(PostgresFunctions), "functions.sql");
    static readonly string TriggersSql = Internal.EmbeddedSql.Catalog(typeof(PostgresFunctions), "triggers.sql");

    /// <summary>The rows of functions.sql: the schemas' functions and those of <paramref name="oids"/> (oid, schema, name, kind, signature, definition).</summary>
    public static Task<List<object?[]>> ReadAsync(NpgsqlConnection connection, string[] schemas, long[] oids, CancellationToken cancellationToken) =>
        PostgresServerObjects.QueryAsync(connection, FunctionsSql, cancellationToken, schemas, oids);

    /// <summary>The rows of triggers.sql for the tables (table oid, name, definition, function oid).</summary>
    public static Task<List<object?[]>> TriggersAsync(NpgsqlConnection connection, long[] tables, CancellationToken cancellationToken) =>
        PostgresServerObjects.QueryAsync(connection, TriggersSql, cancellationToken, tables);

    /// <summary>The source's function as a signature people read: <c>"Forecasts".f(integer)</c>.</summary>
    public static string Signature(object?[] row) => (string)row[4]!;

    /// <summary>
    /// The CREATE OR REPLACE of a functions.sql row (null for an ordered-set aggregate, which the catalog query does not write),
    /// its function bodies checked when called, not when made: they may name tables made after them.
    /// </summary>
    public static ServerObject? Function(object?[] row, PostgresNames names)
    {
        if (row[5] is not string definition)
            return null;
        definition = definition.TrimEnd('\n');
        var body = BodyStart(definition);
        var schema = names.Schema((string)row[1]!);
        // A signature naming a table's or view's row type cannot be made before that relation.
        return new ServerObject((bool)row[6]! ? ServerObjectKind.FunctionOnRelations : ServerObjectKind.Function, schema, (string)row[2]!,
            ["SET LOCAL check_function_bodies = off", names.MapQualified(definition[..body]) + definition[body..]])
        {
            DropSql = $"DROP {(string)row[3]! switch { "p" => "PROCEDURE", "a" => "AGGREGATE", _ => "FUNCTION" }} IF EXISTS {names.MapQualified(Signature(row))}",
        };
    }

    /// <summary>
    /// Where the body starts in pg_get_functiondef's text: its header's lines after the first start with a space
    /// (<c> RETURNS</c>, <c> LANGUAGE</c>), the body's line (<c>AS $function$</c>, <c>BEGIN ATOMIC</c>, <c>RETURN</c>) does not.
    /// </summary>
    static int BodyStart(string definition)
    {
        for (var i = definition.IndexOf('\n', StringComparison.Ordinal); i >= 0 && i + 1 < definition.Length; i = definition.IndexOf('\n', i + 1))
        {
            if (definition[i + 1] != ' ')
                return i + 1;
        }

        return definition.Length;
    }

    /// <summary>
    /// A triggers.sql row as the copy makes it, after the load: CREATE OR REPLACE, so that a --resume makes it again;
    /// its table's renamed columns renamed in <c>UPDATE OF</c> and in <c>new.</c>/<c>old.</c> references of its WHEN.
    /// </summary>
    public static ServerObject Trigger(object?[] row, string targetSchema, PostgresNames names)
    {
        var renames = names.ColumnRenames((string[])row[6]!);
        var definition = names.MapQualified(RenameColumns((string)row[2]!, renames));
        const string create = "CREATE TRIGGER ";
        if (definition.StartsWith(create, StringComparison.Ordinal))
            definition = "CREATE OR REPLACE TRIGGER " + definition[create.Length..];
        return new ServerObject(ServerObjectKind.Trigger, targetSchema, (string)row[1]!, [definition]);
    }

    static string RenameColumns(string definition, IReadOnlyDictionary<string, string> renames)
    {
        if (renames.Count == 0)
            return definition;
        var tokens = DeparsedSqlLexer.Tokenize(definition);
        var edits = new List<(DeparsedToken Token, string Text)>();
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (!tokens[i].IsKeyword("UPDATE") || !tokens[i + 1].IsKeyword("OF"))
                continue;
            for (var j = i + 2; j < tokens.Count && tokens[j].IsIdentifier; j += 2)
            {
                if (renames.TryGetValue(tokens[j].Value, out var renamed))
                    edits.Add((tokens[j], Identifiers.Quote(renamed)));
                if (j + 1 >= tokens.Count || !tokens[j + 1].IsPunctuation(","))
                    break;
            }
        }

        var updated = DeparsedSql.Splice(definition, edits);
        return DeparsedQualifiedNames.Rename(updated, (row, column) =>
            row is "new" or "old" && renames.TryGetValue(column, out var renamed) ? (row, renamed) : null);
    }
}
