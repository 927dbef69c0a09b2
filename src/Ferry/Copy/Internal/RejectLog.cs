using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ferry.Copy.Internal;

/// <summary>A rejected or repaired value, with the row's key (primary-key values, or the row's number in its range).</summary>
internal readonly record struct RowIssue(IReadOnlyList<KeyValuePair<string, string?>> Key, string? Column, string? Value, string Reason);

/// <summary>
/// <c>&lt;rejects&gt;/&lt;table&gt;.jsonl</c>: one JSON object per rejected row (table, key, column, value, reason);
/// repaired values go to <c>&lt;table&gt;.repairs.jsonl</c>. Files are created on the first entry; shared by the
/// jobs loading the table.
/// </summary>
internal sealed class RejectLog : IDisposable
{
    static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    readonly string _table;
    readonly Lock _lock = new();
    StreamWriter? _rejects;
    StreamWriter? _repairs;
    long _rejected;
    long _repaired;

    public RejectLog(string directory, string table, string fileStem)
    {
        _table = table;
        RejectFile = Path.Combine(directory, fileStem + ".jsonl");
        RepairFile = Path.Combine(directory, fileStem + ".repairs.jsonl");
    }

    public string RejectFile { get; }

    /// <summary>The table's name as a file name: <c>orders</c> in public, else <c>schema.orders</c>; other characters become '_'.</summary>
    public static string FileStem(Schema.PlannedTable table)
    {
        var name = table.Model.TargetSchema == "public" ? table.Model.TargetName : table.DisplayName;
        return string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_'));
    }

    /// <summary>A file error's reason without the path .NET appends to it (<c>No space left on device : '/x'</c>).</summary>
    internal static string ReasonOf(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        _ when e.Message.IndexOf(" : '", StringComparison.Ordinal) is var at and > 0 => e.Message[..at],
        _ => e.Message,
    };

    public string RepairFile { get; }

    public long Rejected => Interlocked.Read(ref _rejected);

    public long Repaired => Interlocked.Read(ref _repaired);

    /// <summary>Removes the files of an earlier run of this table (the table is being reloaded).</summary>
    public void Clear()
    {
        if (!Directory.Exists(Path.GetDirectoryName(RejectFile)))
            return;
        File.Delete(RejectFile);
        File.Delete(RepairFile);
    }

    public void Reject(RowIssue issue)
    {
        lock (_lock)
        {
            _rejects ??= Open(RejectFile);
            Write(_rejects, issue);
            _rejected++;
        }
    }

    public void Repair(RowIssue issue)
    {
        lock (_lock)
        {
            _repairs ??= Open(RepairFile);
            Write(_repairs, issue);
            _repaired++;
        }
    }

    static StreamWriter Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new StreamWriter(path, append: false, new UTF8Encoding(false));
    }

    void Write(StreamWriter output, RowIssue issue)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("table", _table);
            json.WriteStartObject("key");
            foreach (var (name, value) in issue.Key)
            {
                if (value is null)
                    json.WriteNull(name);
                else
                    json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WriteString("column", issue.Column);
            json.WriteString("value", issue.Value);
            json.WriteString("reason", issue.Reason);
            json.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        output.Flush();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _rejects?.Dispose();
            _repairs?.Dispose();
            _rejects = _repairs = null;
        }
    }
}
