using Npgsql;
using NpgsqlTypes;

namespace Ferry.Backup.Internal;

/// <summary>
/// Reads a <see cref="TableDefinition"/> from the catalog (<c>format_type</c>, <c>pg_get_expr</c>,
/// <c>pg_get_constraintdef</c>, <c>pg_get_indexdef</c>, <c>pg_get_triggerdef</c>, <c>pg_get_viewdef</c>). The connection
/// must be under <see cref="SearchPath"/>, so that the SQL names every object with its schema, wherever it is replayed.
/// </summary>
internal static class DefinitionReader
{
    public const string SearchPath = "SET search_path = pg_catalog";

    /// <summary>The table's definition; null when no ordinary table has that name.</summary>
    public static async Task<TableDefinition?> ReadAsync(NpgsqlConnection connection, string schema, string name, CancellationToken cancellationToken)
    {
        uint oid;
        string qualified;
        bool unlogged;
        string[] options;
        string? comment;
        await using (var command = Command(connection, """
            SELECT c.oid, format('%I.%I', n.nspname, c.relname), c.relpersistence = 'u', coalesce(c.reloptions, '{}'), obj_description(c.oid, 'pg_class')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = 'r'
            """, schema, name))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
                return null;
            (oid, qualified, unlogged, options, comment) = (reader.GetFieldValue<uint>(0), reader.GetString(1), reader.GetBoolean(2), reader.GetFieldValue<string[]>(3), reader.IsDBNull(4) ? null : reader.GetString(4));
        }

        var columns = new List<ColumnDefinition>();
        var columnComments = new List<NamedDefinition>();
        await using (var command = Command(connection, """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod),
                   CASE WHEN a.attcollation <> t.typcollation THEN format('%I.%I', cn.nspname, co.collname) END,
                   a.attnotnull, CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,
                   CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END,
                   CASE WHEN a.attidentity <> '' THEN format('INCREMENT BY %s MINVALUE %s MAXVALUE %s START WITH %s CACHE %s %s',
                        s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcache, CASE WHEN s.seqcycle THEN 'CYCLE' ELSE 'NO CYCLE' END) END,
                   CASE WHEN a.attidentity <> '' THEN format('%I.%I', sn.nspname, sc.relname) END,
                   CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END,
                   col_description(a.attrelid, a.attnum)
            FROM pg_attribute a
            JOIN pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_collation co ON co.oid = a.attcollation LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            LEFT JOIN pg_depend dep ON a.attidentity <> '' AND dep.refclassid = 'pg_class'::regclass AND dep.refobjid = a.attrelid
                 AND dep.refobjsubid = a.attnum AND dep.classid = 'pg_class'::regclass AND dep.deptype = 'i'
            LEFT JOIN pg_class sc ON sc.oid = dep.objid AND sc.relkind = 'S' LEFT JOIN pg_namespace sn ON sn.oid = sc.relnamespace
            LEFT JOIN pg_sequence s ON s.seqrelid = sc.oid
            WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped AND (a.attidentity = '' OR sc.oid IS NOT NULL)
            ORDER BY a.attnum
            """, oid))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                columns.Add(new ColumnDefinition
                {
                    Name = reader.GetString(0), Type = reader.GetString(1), Collation = Text(reader, 2), NotNull = reader.GetBoolean(3), Default = Text(reader, 4),
                    Identity = Text(reader, 5), IdentityOptions = Text(reader, 6), IdentitySequence = Text(reader, 7), Generated = Text(reader, 8),
                });
                if (Text(reader, 9) is { } text)
                    columnComments.Add(new NamedDefinition { Name = reader.GetString(0), Sql = text });
            }
        }

        var constraints = new List<NamedDefinition>();
        var foreignKeys = new List<NamedDefinition>();
        await using (var command = Command(connection, """
            SELECT con.conname, pg_get_constraintdef(con.oid), con.contype = 'f', CASE WHEN con.contype = 'f' THEN format('%I.%I', rn.nspname, rc.relname) END
            FROM pg_constraint con LEFT JOIN pg_class rc ON rc.oid = con.confrelid LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
            WHERE con.conrelid = $1 AND con.contype IN ('p', 'u', 'c', 'x', 'f') AND con.conislocal
            ORDER BY con.contype = 'p' DESC, con.conname
            """, oid))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.GetBoolean(2))
                    foreignKeys.Add(new NamedDefinition { Name = reader.GetString(0), Sql = reader.GetString(1), Referenced = Text(reader, 3) });
                else
                    constraints.Add(new NamedDefinition { Name = reader.GetString(0), Sql = reader.GetString(1) });
            }
        }

        return new TableDefinition
        {
            Schema = schema,
            Name = name,
            Qualified = qualified,
            Unlogged = unlogged,
            Options = options,
            Columns = columns,
            Constraints = constraints,
            ForeignKeys = foreignKeys,
            Indexes = await NamedAsync(connection, """
                SELECT ic.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                WHERE i.indrelid = $1 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
                ORDER BY ic.relname
                """, oid, cancellationToken),
            IncomingForeignKeys = await NamedAsync(connection, """
                SELECT con.conname, pg_get_constraintdef(con.oid), n.nspname, c.relname, format('%I.%I', rn.nspname, rc.relname)
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_class rc ON rc.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                WHERE con.confrelid = $1 AND con.conrelid <> $1 AND con.contype = 'f' AND con.conislocal
                ORDER BY n.nspname, c.relname, con.conname
                """, oid, cancellationToken),
            Sequences = await SequencesAsync(connection, oid, cancellationToken),
            Triggers = await NamedAsync(connection,
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = $1 AND NOT tgisinternal AND tgparentid = 0 ORDER BY tgname",
                oid, cancellationToken),
            Grants = await NamedAsync(connection, GrantsSql, oid, cancellationToken),
            Comment = comment,
            ColumnComments = columnComments,
            Types = await NamedAsync(connection, TypesSql, oid, cancellationToken),
            Views = await NamedAsync(connection, ViewsSql, oid, cancellationToken),
        };
    }

    /// <summary>Enum and domain types of the columns (an array's element, a domain's base one level down): enums first.</summary>
    const string TypesSql = """
        WITH used AS (
            SELECT t.oid, t.typtype, t.typbasetype FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
            JOIN pg_type t ON t.oid = CASE WHEN at.typcategory = 'A' THEN at.typelem ELSE at.oid END
            WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped AND t.typtype IN ('e', 'd')
        ), types AS (
            SELECT oid FROM used UNION SELECT b.oid FROM used u JOIN pg_type b ON b.oid = u.typbasetype WHERE b.typtype IN ('e', 'd')
        )
        SELECT t.typname,
               CASE t.typtype WHEN 'e' THEN format('CREATE TYPE %I.%I AS ENUM (%s)', n.nspname, t.typname,
                    (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))
               ELSE format('CREATE DOMAIN %I.%I AS %s%s%s%s%s', n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod),
                    CASE WHEN t.typcollation <> bt.typcollation THEN (SELECT format(' COLLATE %I.%I', cn.nspname, co.collname) FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = t.typcollation) ELSE '' END,
                    CASE WHEN t.typdefault IS NOT NULL THEN ' DEFAULT ' || t.typdefault ELSE '' END,
                    CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END,
                    coalesce((SELECT string_agg(format(' CONSTRAINT %I %s', c.conname, pg_get_constraintdef(c.oid)), '' ORDER BY c.conname) FROM pg_constraint c WHERE c.contypid = t.oid), ''))
               END,
               n.nspname, NULL, NULL, CASE t.typtype WHEN 'e' THEN 0 ELSE 1 END
        FROM types JOIN pg_type t ON t.oid = types.oid JOIN pg_namespace n ON n.oid = t.typnamespace
        LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
        ORDER BY 6, n.nspname, t.typname
        """;

    /// <summary>The table's privileges granted to others than its owner, one GRANT per grantee (and grant option).</summary>
    const string GrantsSql = """
        SELECT g.grantee, format('GRANT %s ON %I.%I TO %s%s', string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type), n.nspname, c.relname, g.grantee,
                                 CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN LATERAL aclexplode(c.relacl) a
        CROSS JOIN LATERAL (SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS grantee) g
        WHERE c.oid = $1 AND a.grantee <> c.relowner
        GROUP BY g.grantee, a.is_grantable, n.nspname, c.relname
        ORDER BY 1, 2
        """;

    /// <summary>Views and materialized views built on the table, and on those, by depth.</summary>
    const string ViewsSql = """
        WITH RECURSIVE deps(oid, depth) AS (
            SELECT r.ev_class, 1 FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
            WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = $1 AND r.ev_class <> $1
            UNION
            SELECT r.ev_class, deps.depth + 1 FROM deps JOIN pg_depend d ON d.refobjid = deps.oid AND d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
            JOIN pg_rewrite r ON r.oid = d.objid WHERE r.ev_class <> deps.oid AND deps.depth < 16
        )
        SELECT c.relname,
               format('CREATE %sVIEW %I.%I%s AS %s', CASE c.relkind WHEN 'm' THEN 'MATERIALIZED ' ELSE '' END, n.nspname, c.relname,
                      CASE WHEN c.reloptions IS NOT NULL THEN ' WITH (' || array_to_string(c.reloptions, ', ') || ')' ELSE '' END,
                      rtrim(pg_get_viewdef(c.oid), ';')),
               n.nspname, NULL, NULL, max(deps.depth)
        FROM deps JOIN pg_class c ON c.oid = deps.oid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('v', 'm')
        GROUP BY c.oid, c.relname, c.relkind, c.reloptions, n.nspname
        ORDER BY max(deps.depth), n.nspname, c.relname
        """;

    static async Task<List<OwnedSequence>> SequencesAsync(NpgsqlConnection connection, uint oid, CancellationToken cancellationToken)
    {
        var sequences = new List<OwnedSequence>();
        await using var command = Command(connection, """
            SELECT DISTINCT ON (s.oid) sn.nspname, s.relname, format('%I.%I', sn.nspname, s.relname), a.attname, d.deptype = 'a', d.deptype = 'i'
            FROM (SELECT objid AS seq, refobjsubid AS col, deptype FROM pg_depend
                  WHERE classid = 'pg_class'::regclass AND refclassid = 'pg_class'::regclass AND refobjid = $1 AND deptype IN ('a', 'i')
                  UNION ALL
                  SELECT d.refobjid, ad.adnum, 'n' FROM pg_attrdef ad JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid
                  AND d.refclassid = 'pg_class'::regclass WHERE ad.adrelid = $1) d
            JOIN pg_class s ON s.oid = d.seq AND s.relkind = 'S' JOIN pg_namespace sn ON sn.oid = s.relnamespace
            LEFT JOIN pg_attribute a ON a.attrelid = $1 AND a.attnum = d.col AND d.col > 0
            ORDER BY s.oid, d.deptype
            """, oid);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sequences.Add(new OwnedSequence
            {
                Schema = reader.GetString(0), Name = reader.GetString(1), Qualified = reader.GetString(2), Column = Text(reader, 3),
                Owned = reader.GetBoolean(4), Identity = reader.GetBoolean(5),
            });
        }

        return sequences;
    }

    /// <summary>Rows of (name, sql[, schema, table, referenced[, depth]]).</summary>
    static async Task<List<NamedDefinition>> NamedAsync(NpgsqlConnection connection, string sql, uint oid, CancellationToken cancellationToken)
    {
        var named = new List<NamedDefinition>();
        await using var command = Command(connection, sql, oid);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            named.Add(new NamedDefinition
            {
                Name = reader.GetString(0),
                Sql = reader.GetString(1),
                Schema = reader.FieldCount > 2 ? Text(reader, 2) : null,
                Table = reader.FieldCount > 3 ? Text(reader, 3) : null,
                Referenced = reader.FieldCount > 4 ? Text(reader, 4) : null,
                Depth = reader.FieldCount > 5 ? reader.GetInt32(5) : 0,
            });
        }

        return named;
    }

    static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
            command.Parameters.Add(value is uint oid ? new NpgsqlParameter { Value = oid, NpgsqlDbType = NpgsqlDbType.Oid } : new NpgsqlParameter { Value = value });
        return command;
    }
}
