using Ferry.Schema;

namespace Ferry.Sources.Postgres.Deparsed;

/// <summary>
/// An index as pg_get_indexdef(oid) writes it:
/// <c>CREATE [UNIQUE] INDEX name ON [ONLY] schema.table USING method (elements) [INCLUDE (…)]
/// [NULLS NOT DISTINCT] [WITH (…)] [TABLESPACE x] [WHERE predicate]</c>.
/// </summary>
/// <param name="Unique">CREATE UNIQUE INDEX.</param>
/// <param name="Name">The index's name, unquoted.</param>
/// <param name="TableName">The table's name, unquoted.</param>
/// <param name="Method">The access method: btree, hash, gist, gin, brin, spgist or an extension's.</param>
/// <param name="TableSchema">Null when the server left the table unqualified (servers before the 2018 search_path fixes).</param>
/// <param name="Only">Written for every index of a partitioned table, whether or not it was created with ONLY.</param>
/// <param name="Rest">The text from <c>USING</c> on, as the server wrote it, without the TABLESPACE clause.</param>
/// <param name="Tablespace">The TABLESPACE clause's name, or null without one.</param>
internal sealed record ServerIndexDefinition(
    bool Unique, string Name, bool Only, string? TableSchema, string TableName, string Method, string Rest, string? Tablespace)
{
    public static ServerIndexDefinition Parse(string indexdef)
    {
        var tokens = DeparsedSqlLexer.Tokenize(indexdef);
        var i = 0;
        Expect(tokens, i++, "CREATE", indexdef);
        var unique = Accept(tokens, ref i, "UNIQUE");
        Expect(tokens, i++, "INDEX", indexdef);
        var name = Identifier(tokens, i++, "the index name", indexdef);
        Expect(tokens, i++, "ON", indexdef);
        var only = Accept(tokens, ref i, "ONLY");
        string? schema = null;
        var table = Identifier(tokens, i++, "the table name", indexdef);
        if (i < tokens.Count && tokens[i].IsPunctuation("."))
        {
            schema = table;
            table = Identifier(tokens, i + 1, "the table name after its schema", indexdef);
            i += 2;
        }

        var usingAt = i;
        Expect(tokens, i++, "USING", indexdef);
        var method = Identifier(tokens, i++, "the access method", indexdef);
        if (i >= tokens.Count || !tokens[i].IsPunctuation("("))
            throw Error(indexdef, i < tokens.Count ? tokens[i].Start : indexdef.Length, "'(' opening the index's elements");
        var (rest, tablespace) = WithoutTablespace(indexdef, tokens, usingAt);
        return new ServerIndexDefinition(unique, name, only, schema, table, method, rest, tablespace);
    }

    /// <summary>
    /// The index for the target: <paramref name="indexName"/> (quoted as needed; null lets the server name it) on
    /// <paramref name="qualifiedTable"/> (already quoted), with the column references renamed. Without ONLY: the
    /// server writes it for every partitioned table's index, and on the target it would leave the partitions
    /// unindexed. Without TABLESPACE: the source's tablespaces do not exist in the target.
    /// </summary>
    public string ToSql(string? indexName, string qualifiedTable, IReadOnlyDictionary<string, string> columnRenames)
    {
        var name = indexName is null ? "" : Identifiers.Quote(indexName) + " ";
        return $"CREATE {(Unique ? "UNIQUE " : "")}INDEX {name}ON {qualifiedTable} {DeparsedSql.RenameColumns(Rest, columnRenames)}";
    }

    /// <summary>The text from USING on, without the TABLESPACE clause (outside any parentheses), and its name.</summary>
    static (string Text, string? Tablespace) WithoutTablespace(string indexdef, List<DeparsedToken> tokens, int usingAt)
    {
        var depth = 0;
        for (var i = usingAt; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.IsPunctuation("("))
                depth++;
            else if (token.IsPunctuation(")"))
                depth--;
            else if (depth == 0 && token.IsKeyword("TABLESPACE"))
            {
                var tablespace = Identifier(tokens, i + 1, "the tablespace name", indexdef);
                var before = indexdef[tokens[usingAt].Start..token.Start].TrimEnd();
                var after = indexdef[tokens[i + 1].End..].Trim();
                return (after.Length == 0 ? before : before + " " + after, tablespace);
            }
        }

        return (indexdef[tokens[usingAt].Start..].TrimEnd(), null);
    }

    static bool Accept(List<DeparsedToken> tokens, ref int i, string keyword)
    {
        if (i >= tokens.Count || !tokens[i].IsKeyword(keyword))
            return false;
        i++;
        return true;
    }

    static void Expect(List<DeparsedToken> tokens, int i, string keyword, string indexdef)
    {
        if (i >= tokens.Count || !tokens[i].IsKeyword(keyword))
            throw Error(indexdef, i < tokens.Count ? tokens[i].Start : indexdef.Length, keyword);
    }

    static string Identifier(List<DeparsedToken> tokens, int i, string what, string indexdef)
    {
        if (i >= tokens.Count || !tokens[i].IsIdentifier || tokens[i].IsUpperCaseWord)
            throw Error(indexdef, i < tokens.Count ? tokens[i].Start : indexdef.Length, what);
        return tokens[i].Value;
    }

    static FerryException Error(string indexdef, int offset, string expected) =>
        new($"Cannot read the server's index definition: expected {expected} at offset {offset} of: {indexdef}");
}
