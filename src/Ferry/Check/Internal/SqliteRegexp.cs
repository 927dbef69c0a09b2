using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Ferry.Sources.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ferry.Check.Internal;

/// <summary>
/// SQLite's <c>value REGEXP pattern</c>, which SQLite leaves to the application: .NET's regular expressions, each
/// pattern compiled once per connection. Called once per row and pattern, it reads the value's UTF-8 in place into a
/// reused buffer (no string, no boxing per value), bound straight to the e_sqlite3 library SQLitePCLRaw loads (values read as the copy's reader reads them).
/// </summary>
internal sealed unsafe partial class SqliteRegexp : IDisposable
{
    const string Library = "e_sqlite3";
    const int Utf8Deterministic = 1 | 0x800;

    readonly List<(byte[] Pattern, Regex Regex)> _patterns = [];
    GCHandle _self;
    char[] _buffer = new char[256];

    SqliteRegexp() => _self = GCHandle.Alloc(this);

    /// <summary>Registers <c>regexp(pattern, value)</c> on <paramref name="connection"/>; dispose it after the connection.</summary>
    public static SqliteRegexp Register(SqliteConnection connection)
    {
        var regexp = new SqliteRegexp();
        var code = CreateFunction(connection.Handle!.DangerousGetHandle(), "regexp"u8, 2, Utf8Deterministic, GCHandle.ToIntPtr(regexp._self), &Call, 0, 0, 0);
        if (code != 0)
        {
            regexp.Dispose();
            throw new FerryException($"SQLite refused the REGEXP function (error {code}).");
        }

        return regexp;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static void Call(nint context, int count, nint* arguments)
    {
        try
        {
            var self = (SqliteRegexp)GCHandle.FromIntPtr(UserData(context)).Target!;
            if (SqliteColumnAccess.Type(arguments[0]) == SqliteColumnAccess.Null || SqliteColumnAccess.Type(arguments[1]) == SqliteColumnAccess.Null)
            {
                ResultNull(context);
                return;
            }

            var regex = self.Regex(SqliteColumnAccess.TextBytes(arguments[0]));
            var value = SqliteColumnAccess.TextBytes(arguments[1]);
            if (self._buffer.Length < value.Length)
                self._buffer = new char[Math.Max(value.Length, self._buffer.Length * 2)];
            var length = Encoding.UTF8.GetChars(value, self._buffer);
            ResultInt(context, regex.IsMatch(self._buffer.AsSpan(0, length)) ? 1 : 0);
        }
        catch (Exception e)
        {
            var message = Encoding.UTF8.GetBytes(e.Message);
            fixed (byte* p = message)
                ResultError(context, p, message.Length);
        }
    }

    Regex Regex(ReadOnlySpan<byte> pattern)
    {
        foreach (var (written, regex) in _patterns)
        {
            if (pattern.SequenceEqual(written))
                return regex;
        }

        var compiled = new Regex(Encoding.UTF8.GetString(pattern), RegexOptions.CultureInvariant);
        _patterns.Add((pattern.ToArray(), compiled));
        return compiled;
    }

    public void Dispose()
    {
        if (_self.IsAllocated)
            _self.Free();
    }

    [LibraryImport(Library, EntryPoint = "sqlite3_create_function_v2")]
    private static partial int CreateFunction(nint db, ReadOnlySpan<byte> name, int arguments, int flags, nint app, delegate* unmanaged[Cdecl]<nint, int, nint*, void> function, nint step, nint final, nint destroy);

    [LibraryImport(Library, EntryPoint = "sqlite3_user_data")]
    [SuppressGCTransition]
    private static partial nint UserData(nint context);

    [LibraryImport(Library, EntryPoint = "sqlite3_result_int")]
    [SuppressGCTransition]
    private static partial void ResultInt(nint context, int value);

    [LibraryImport(Library, EntryPoint = "sqlite3_result_null")]
    [SuppressGCTransition]
    private static partial void ResultNull(nint context);

    [LibraryImport(Library, EntryPoint = "sqlite3_result_error")]
    private static partial void ResultError(nint context, byte* message, int length);
}
