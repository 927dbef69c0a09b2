using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ferry.Copy.Internal;

/// <summary>A rejected or repaired value, with the row's key (primary-key values, or the row's number in its range).</summary>
internal readonly record struct RowIssue(IReadOnlyList<KeyValuePair<string, string?>> Key, string? Column, string? Value, string Reason);

/// <summary>
/// A rejects file that cannot be written (a full disk, a directory made read-only): its path and why. The table stops
/// there; the file holds whole lines only.
/// </summary>
internal sealed class RejectLogException(string path, string reason, Exception inner)
    : FerryException($"Cannot write the rejects file {path}: {reason}", FailureKind.Failed, inner)
{
    public string Path { get; } = path;

    public string Reason { get; } = reason;
}

/// <summary>
/// <c>&lt;rejects&gt;/&lt;table&gt;.jsonl</c>: one JSON object per rejected row (table, key, column, value, reason);
/// repaired values go to <c>&lt;table&gt;.repairs.jsonl</c>. Files are created on the first entry; shared by the
/// jobs loading the table. Each line goes to the file in one write, and one that fails is cut off again, so a reader
/// of the file never meets a broken line; a line that cannot be written throws <see cref="RejectLogException"/>.
/// The rejects are also summed up by column and reason (<see cref="Groups"/>).
/// </summary>
internal sealed class RejectLog : IDisposable
{
    static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    readonly string _table;
    readonly Lock _lock = new();
    readonly ArrayBufferWriter<byte> _line = new(256);
    readonly RejectGroups _groups = new();
    FileStream? _rejects;
    FileStream? _repairs;
    long _rejected;
    long _repaired;

    public RejectLog(string directory, string table, string fileStem)
    {
        _table = table;
        RejectFile = System.IO.Path.Combine(directory, fileStem + ".jsonl");
        RepairFile = System.IO.Path.Combine(directory, fileStem + ".repairs.jsonl");
    }

    public string RejectFile { get; }

    /// <summary>The table's name as a file name: <c>orders</c> in public, else <c>schema.orders</c>; other characters become '_'.</summary>
    public static string FileStem(Schema.PlannedTable table)
    {
        var name = table.TargetSchema == "public" ? table.TargetName : table.DisplayName;
        return string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_'));
    }

    public string RepairFile { get; }

    public long Rejected => Interlocked.Read(ref _rejected);

    public long Repaired => Interlocked.Read(ref _repaired);

    /// <summary>Removes the files of an earlier run of this table (the table is being reloaded).</summary>
    public void Clear()
    {
        if (!Directory.Exists(System.IO.Path.GetDirectoryName(RejectFile)))
            return;
        foreach (var path in (string[])[RejectFile, RepairFile])
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new RejectLogException(path, "the earlier run's file cannot be removed: " + ReasonOf(e), e);
            }
        }
    }

    public void Reject(RowIssue issue)
    {
        lock (_lock)
        {
            Write(ref _rejects, RejectFile, issue);
            _rejected++;
            _groups.Add(issue);
        }
    }

    /// <summary>The rejects so far, grouped by column and reason (see <see cref="RejectGroups"/>).</summary>
    public IReadOnlyList<RejectGroup> Groups()
    {
        lock (_lock)
            return _groups.ToList();
    }

    public void Repair(RowIssue issue)
    {
        lock (_lock)
        {
            Write(ref _repairs, RepairFile, issue);
            _repaired++;
        }
    }

    void Write(ref FileStream? file, string path, RowIssue issue)
    {
        _line.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_line, WriterOptions))
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

        _line.Write("\n"u8);
        long length = 0;
        try
        {
            if (file is null)
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
                // Unbuffered: each line is one write(2), nothing is left to flush (and fail) later.
                file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
            }

            length = file.Position;
            file.Write(_line.WrittenSpan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CutBack(file, length);
            throw new RejectLogException(path, ReasonOf(e), e);
        }
    }

    /// <summary>A file error's reason without the path .NET appends to it (<c>No space left on device : '/x'</c>).</summary>
    internal static string ReasonOf(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        _ when e.Message.IndexOf(" : '", StringComparison.Ordinal) is var at and > 0 => e.Message[..at],
        _ => e.Message,
    };

    /// <summary>Removes what a failed write left of its line (shortening a file needs no space).</summary>
    static void CutBack(FileStream? file, long length)
    {
        if (file is null)
            return;
        try
        {
            if (file.Length > length)
                file.SetLength(length);
            file.Position = length;
        }
        catch (IOException)
        {
            // The line stays cut short only if the file cannot even be shortened; the write's own error is reported.
        }
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
