using System.Text;
using Spectre.Console;

namespace Ferry.Cli;

/// <summary>
/// A console output that also keeps what is written to it: the summary a person saw, for the run's journal
/// (<c>ferry runs show</c>). It reports the real output's terminal and size, so the console renders as it would
/// without it. What it keeps is capped; escape sequences are removed when it is read.
/// </summary>
internal sealed class SummaryOutput(TextWriter inner, SummaryRecord record) : IAnsiConsoleOutput
{
    readonly AnsiConsoleOutput _real = new(inner);

    public TextWriter Writer => field ??= new Tee(inner, record);

    public bool IsTerminal => _real.IsTerminal;

    public int Width => _real.Width;

    public int Height => _real.Height;

    public void SetEncoding(Encoding encoding) => _real.SetEncoding(encoding);

    sealed class Tee(TextWriter inner, SummaryRecord record) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            inner.Write(value);
            record.Append([value]);
        }

        public override void Write(string? value)
        {
            inner.Write(value);
            record.Append(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            inner.Write(buffer, index, count);
            record.Append(buffer.AsSpan(index, count));
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            inner.Write(buffer);
            record.Append(buffer);
        }

        public override void Flush() => inner.Flush();
    }
}

/// <summary>The text kept (shared by the writers that feed one summary).</summary>
internal sealed partial class SummaryRecord
{
    const int Cap = 1 << 20;

    readonly StringBuilder _text = new();
    readonly Lock _lock = new();

    public void Append(ReadOnlySpan<char> text)
    {
        lock (_lock)
        {
            if (_text.Length < Cap)
                _text.Append(text[..Math.Min(text.Length, Cap - _text.Length)]);
        }
    }

    public void AppendLine(string line)
    {
        Append(line);
        Append("\n");
    }

    /// <summary>The text as plain lines: colours and cursor movements removed; null when nothing was written.</summary>
    public string? Text()
    {
        lock (_lock)
            return _text.Length == 0 ? null : Escapes().Replace(_text.ToString(), "").Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")]
    private static partial System.Text.RegularExpressions.Regex Escapes();
}
