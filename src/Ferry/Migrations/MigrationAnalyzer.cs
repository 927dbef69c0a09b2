using Ferry.Migrations.Internal;

namespace Ferry.Migrations;

/// <summary>
/// What a migration script touches, read from its statements with the migration lexer (comments, strings, quoted
/// names and dollar-quoted bodies as PostgreSQL reads them): the tables that <c>ALTER TABLE</c> (renames, dropped
/// columns, <c>SET SCHEMA</c> too), <c>DROP TABLE</c>, <c>TRUNCATE</c>, <c>UPDATE</c>, <c>DELETE</c>, <c>INSERT</c>,
/// <c>MERGE</c>, <c>COPY … FROM</c> and <c>CREATE INDEX … ON</c> change, also inside <c>WITH</c> queries; and the tables,
/// views and types it creates. The statements inside a <c>DO</c> block or a function are not read: a <c>DO</c>, a
/// <c>CALL</c> or an <c>EXECUTE</c> marks the script as touching unknown tables (<see cref="ScriptTouches.Unknown"/>).
/// </summary>
public static class MigrationAnalyzer
{
    /// <summary>The touches of a script's text.</summary>
    public static ScriptTouches Analyze(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return Analyze(SqlStatementSplitter.Split(script), script);
    }

    internal static ScriptTouches Analyze(MigrationScript script) => Analyze(script.Statements, script.Text);

    static ScriptTouches Analyze(IReadOnlyList<SqlStatement> statements, string text)
    {
        var reader = new TouchReader();
        var (line, counted) = (1, 0);
        foreach (var statement in statements)
        {
            // Statements come in script order: the lines are counted once, from the previous statement on.
            for (; counted < statement.Offset && counted < text.Length; counted++)
            {
                if (text[counted] == '\n')
                    line++;
            }

            reader.Read(statement, line);
        }

        return reader.Result;
    }
}
