using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Backup;

/// <summary>The schema the backup tests take and restore: foreign keys (a self-reference too), a serial mid-way, an identity, an enum, a partial index, a generated column, a check, a view.</summary>
internal static class BackupSchemaFixture
{
    public const string Schema = """
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE TABLE parent (
            id serial PRIMARY KEY,
            name text NOT NULL COLLATE "C" UNIQUE,
            mood mood NOT NULL DEFAULT 'ok',
            score numeric(10,2) CHECK (score >= 0),
            manager_id int REFERENCES parent (id));
        COMMENT ON TABLE parent IS 'the parents';
        GRANT SELECT, UPDATE ON parent TO PUBLIC;
        COMMENT ON COLUMN parent.name IS 'their name';
        CREATE TABLE child (
            id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 5) PRIMARY KEY,
            parent_id int NOT NULL REFERENCES parent (id) ON DELETE CASCADE,
            price numeric(8,2) NOT NULL,
            qty int NOT NULL,
            total numeric GENERATED ALWAYS AS (price * qty) STORED,
            note text,
            CONSTRAINT child_qty_positive CHECK (qty > 0));
        CREATE INDEX child_open_notes ON child (parent_id) WHERE note IS NOT NULL;
        CREATE VIEW parent_totals AS SELECT p.name, sum(c.total) AS total FROM parent p JOIN child c ON c.parent_id = p.id GROUP BY p.name;
        INSERT INTO parent (name, mood, score, manager_id) VALUES ('ann', 'happy', 1.5, NULL), ('bob', 'sad', 2, 1), ('cid', 'ok', NULL, 2);
        INSERT INTO child (parent_id, price, qty, note) VALUES (1, 9.99, 2, 'first'), (2, 1.50, 10, NULL), (3, 100, 1, 'x'), (1, 0.01, 3, NULL);
        SELECT nextval('parent_id_seq'); SELECT nextval('parent_id_seq');
        """;

    /// <summary>A later change to every part: rows updated, deleted and inserted, sequences moved on.</summary>
    public const string Changes = """
        UPDATE parent SET score = 99, mood = 'happy' WHERE name = 'bob';
        DELETE FROM child WHERE qty = 10;
        INSERT INTO parent (name) VALUES ('dan');
        INSERT INTO child (parent_id, price, qty) SELECT id, 5, 5 FROM parent WHERE name = 'dan';
        SELECT nextval('parent_id_seq');
        """;

    public static async Task<TestDatabase> CreateAsync()
    {
        var db = await TestCluster.CreateDatabaseAsync("backup");
        await db.ExecuteAsync(Schema);
        return db;
    }

    /// <summary>Everything a restore must put back, as text: rows, sequences, constraints and indexes by name and definition.</summary>
    public static async Task<string> StateAsync(TestDatabase db, string schema = "public")
    {
        var parts = new List<string>();
        foreach (var sql in new[]
        {
            $"SELECT id, name, mood::text, score, manager_id FROM {schema}.parent ORDER BY id",
            $"SELECT id, parent_id, price, qty, total, note FROM {schema}.child ORDER BY id",
            $"SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = '{schema}'::regnamespace ORDER BY 1, 2",
            $"SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = '{schema}' ORDER BY 1, 2",
            $"SELECT sequencename, last_value, increment_by FROM pg_sequences WHERE schemaname = '{schema}' ORDER BY 1",
            $"SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity, identity_generation, is_generated, generation_expression FROM information_schema.columns WHERE table_schema = '{schema}' ORDER BY 1, ordinal_position",
        })
        {
            parts.Add(string.Join("\n", (await db.RowsAsync(sql)).Select(r => string.Join(" | ", r.Select(v => v?.ToString() ?? "NULL")))));
        }

        return string.Join("\n---\n", parts);
    }
}
