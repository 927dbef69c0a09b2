using System.Security.Cryptography;
using System.Text;

namespace Ferry.Migrations.Internal;

/// <summary>
/// The text of one migration file, its checksum, its statements and whether it must run outside a transaction.
/// </summary>
internal sealed class MigrationScript
{
    const string NoTransactionDirective = "ferry:no-transaction";

    MigrationScript(string path, string text)
    {
        Path = path;
        Text = text;
        Checksum = ChecksumOf(text);
        var statements = SqlStatementSplitter.Split(text);
        // A file written for psql or sqitch often wraps itself in BEGIN; … COMMIT;. Ferry's own transaction takes
        // that role (together with the history row), so the wrapper is not sent.
        if (statements.Count >= 2 && IsBegin(statements[0]) && IsCommit(statements[^1]))
            statements = statements[1..^1];
        Statements = statements;
        ForcedNoTransaction = HasDirective(text);
        NonTransactionalStatement = Statements.FirstOrDefault(s => NonTransactionalStatements.Reason(s) is not null);
        TransactionControl = Statements.FirstOrDefault(IsTransactionControl);
        ClientCopy = Statements.Select(s => (Statement: s, Direction: ClientCopyDirection(s))).FirstOrDefault(c => c.Direction is not null) is ({ } copy, { } direction)
            ? (copy, direction)
            : null;
    }

    /// <summary>Reads a migration file: synchronously, they are small (an await per file cost a thread-pool hop each).</summary>
    public static MigrationScript Read(string path) => FromBytes(path, File.ReadAllBytes(path));

    public static MigrationScript FromBytes(string path, byte[] bytes)
    {
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        string text;
        try
        {
            text = encoding.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new FerryException($"{path}: not valid UTF-8. Save the migration as UTF-8.");
        }

        return new MigrationScript(path, text.TrimStart('\uFEFF'));
    }

    public string Path { get; }

    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>The file's text without a byte order mark, line endings as in the file.</summary>
    public string Text { get; }

    /// <summary>SHA-256 (lowercase hex) of the text with line endings normalized to LF, so a CRLF checkout is not drift.</summary>
    public string Checksum { get; }

    public IReadOnlyList<SqlStatement> Statements { get; }

    public bool ForcedNoTransaction { get; }

    /// <summary>The first statement PostgreSQL refuses to run inside a transaction block, if any.</summary>
    public SqlStatement? NonTransactionalStatement { get; }

    public bool RunsInTransaction => !ForcedNoTransaction && NonTransactionalStatement is null;

    /// <summary>
    /// The first statement that begins or ends a transaction (BEGIN, COMMIT, ROLLBACK, …; savepoints are fine), apart
    /// from a wrapper around the whole file: inside the migration's own transaction it would commit part of the
    /// migration without its history row.
    /// </summary>
    public SqlStatement? TransactionControl { get; }

    /// <summary>The first <c>COPY … FROM STDIN</c> or <c>COPY … TO STDOUT</c>, with which of the two it is.</summary>
    public (SqlStatement Statement, string Direction)? ClientCopy { get; }

    /// <summary>
    /// Refuses a file with a COPY that streams rows from or to the client (before anything runs): a migration's
    /// statements are sent on their own, with no rows to stream, and its inline data is not SQL.
    /// </summary>
    public void EnsureSupported()
    {
        if (ClientCopy is not { } found)
            return;
        var (copy, direction) = found;
        var (line, column) = LineAndColumn(copy.Offset);
        throw new FerryException(
            $"{Path}:{line}:{column}: COPY … {direction} is not supported in a migration file: Ferry sends each statement on its own, " +
            "with no rows to stream to or from the server (inline data after it, as pg_dump writes it, is not SQL). Nothing was run. " +
            "Write the rows as INSERT statements, or COPY them FROM a file on the database server ('/path/on/server.csv'), or load them with 'ferry copy'.");
    }

    /// <summary>Refuses a file that cannot run as written (<see cref="EnsureSupported"/>), or that runs in a transaction but begins or ends one itself (before anything runs).</summary>
    public void EnsureRunnable()
    {
        EnsureSupported();
        if (!RunsInTransaction || TransactionControl is not { } control)
            return;
        var (line, column) = LineAndColumn(control.Offset);
        throw new FerryException(
            $"{Path}:{line}:{column}: {string.Join(' ', control.Words.Take(control.Words[0] is "START" or "PREPARE" ? 2 : 1))} inside a migration: Ferry runs each migration in its own transaction, " +
            "with its history row, and a statement that ends or begins a transaction would commit part of it alone. Nothing was run. " +
            "Remove it (a BEGIN; … COMMIT; around the whole file is fine), split the file into several migrations, " +
            "or add a '-- ferry:no-transaction' line to run its statements one by one, as written.",
            FailureKind.Failed);
    }

    public static string ChecksumOf(string text)
    {
        var normalized = text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
    }

    static bool IsBegin(SqlStatement s) =>
        s.Words.Count > 0 && s.Words[0] == "BEGIN" && (s.Words.Count == 1 || s.Words[1] is "TRANSACTION" or "WORK" or "ISOLATION" or "READ" or "NOT" or "DEFERRABLE")
        || s.Words.Count >= 2 && s.Words[0] == "START" && s.Words[1] == "TRANSACTION";

    static bool IsCommit(SqlStatement s) =>
        s.Words.Count is 1 or 2 && s.Words[0] is "COMMIT" or "END" && (s.Words.Count == 1 || s.Words[1] is "TRANSACTION" or "WORK");

    static bool IsTransactionControl(SqlStatement s)
    {
        if (s.Words.Count == 0)
            return false;
        if (IsBegin(s))
            return true;
        var rest = s.Words.Skip(1).SkipWhile(w => w is "TRANSACTION" or "WORK").FirstOrDefault();
        return s.Words[0] switch
        {
            "COMMIT" or "END" => true,
            "ROLLBACK" or "ABORT" => rest != "TO", // ROLLBACK TO SAVEPOINT stays inside the transaction
            "PREPARE" => s.Words.Count > 1 && s.Words[1] == "TRANSACTION",
            _ => false,
        };
    }

    /// <summary><c>FROM STDIN</c> or <c>TO STDOUT</c> for a COPY statement that streams rows through the client, else null.</summary>
    static string? ClientCopyDirection(SqlStatement statement)
    {
        if (statement.Words is not ["COPY", ..])
            return null;
        // Outside parentheses, so that a column or a query's word is not taken for the direction.
        var words = SqlStatementSplitter.TopLevelWords(statement);
        for (var i = 1; i < words.Count; i++)
        {
            if ((words[i - 1], words[i]) is ("FROM", "STDIN") or ("TO", "STDOUT"))
                return $"{words[i - 1]} {words[i]}";
        }

        return null;
    }

    /// <summary>
    /// A <c>-- ferry:no-transaction</c> line comment on a line of its own, found as the lexer finds comments: text
    /// that reads so inside a string, a dollar-quoted body or a block comment does not count.
    /// </summary>
    static bool HasDirective(string text)
    {
        var scanner = new SqlStatementSplitter.Scanner(text);
        while (scanner.Next() is { } token)
        {
            if (token.Kind != SqlStatementSplitter.TokenKind.Comment || !text.AsSpan(token.Start).StartsWith("--", StringComparison.Ordinal))
                continue;
            var lineStart = token.Start == 0 ? 0 : text.LastIndexOfAny(['\n', '\r'], token.Start - 1) + 1;
            if (string.IsNullOrWhiteSpace(text[lineStart..token.Start]) &&
                text[(token.Start + 2)..token.End].Trim().Equals(NoTransactionDirective, StringComparison.OrdinalIgnoreCase))
                return true;
        }

        return false;
    }

    /// <summary>
    /// 1-based line and column of a UTF-16 index in the text (CRLF and lone CR count as one line break). The column
    /// counts characters (code points), as PostgreSQL does: a surrogate pair (😀) is one.
    /// </summary>
    public (int Line, int Column) LineAndColumn(int index)
    {
        index = Math.Clamp(index, 0, Text.Length);
        var (line, column) = (1, 1);
        for (var i = 0; i < index; i++)
        {
            var c = Text[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= Text.Length || Text[i + 1] != '\n')))
                (line, column) = (line + 1, 1);
            else if (!char.IsLowSurrogate(c) || i == 0 || !char.IsHighSurrogate(Text[i - 1]))
                column++;
        }

        return (line, column);
    }

    /// <summary>
    /// The index in the text of PostgreSQL's 1-based error position inside <paramref name="statement"/>. The server
    /// counts characters (code points); .NET strings count UTF-16 units, so surrogate pairs are stepped over.
    /// </summary>
    public static int IndexOfPosition(SqlStatement statement, int position)
    {
        var index = 0;
        for (var counted = 1; counted < position && index < statement.Text.Length; counted++)
            index += char.IsHighSurrogate(statement.Text[index]) ? 2 : 1;
        return statement.Offset + Math.Min(index, statement.Text.Length);
    }
}
