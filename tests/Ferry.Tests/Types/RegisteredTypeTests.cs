using System.Globalization;
using System.Text.Json;
using Ferry.Copy;
using Ferry.Copy.Internal;
using Ferry.Schema;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;
using Ferry.Types;
using Ferry.Verify;

namespace Ferry.Tests.Types;

/// <summary>
/// A type Ferry does not know, added through the registry in this file alone: <c>macaddr</c>, read from SQLite text,
/// reached with <c>--cast</c>, written in binary COPY by its own slots, and verified with its own canonical text.
/// </summary>
public sealed class RegisteredTypeTests
{
    sealed class MacAddrType : PgTypeHandler
    {
        public override IReadOnlyList<string> CatalogNames => ["macaddr"];

        public override string ToSql(PgType type) => "macaddr";

        public override uint Oid(PgType type) => 829;

        public override ColumnSlots CreateSlots(PgType type, int capacity) => new MacAddrSlots(capacity);

        public override bool PlainText => true;

        /// <summary>PostgreSQL prints six lowercase hex pairs joined by colons.</summary>
        public override string CanonicalText(string value)
        {
            Span<byte> bytes = stackalloc byte[6];
            return TryParse(value, bytes) ? Format(bytes) : value;
        }
    }

    /// <summary>Six bytes a row: macaddr's binary form.</summary>
    sealed class MacAddrSlots(int capacity) : ColumnSlots(capacity)
    {
        readonly byte[] _bytes = new byte[capacity * 6];

        public override bool TakesText => true;

        public override string? SetText(int row, string value) =>
            TryParse(value, _bytes.AsSpan(row * 6, 6)) ? null : $"'{value}' is not a MAC address";

        protected override void WriteValue(BinaryCopyWriter writer, int row) => writer.WriteBytes(_bytes.AsSpan(row * 6, 6));

        protected override string RenderValue(int row) => Format(_bytes.AsSpan(row * 6, 6));
    }

    static bool TryParse(string text, Span<byte> bytes)
    {
        var parts = text.Split(':', '-');
        if (parts.Length != 6)
            return false;
        for (var i = 0; i < 6; i++)
        {
            if (parts[i].Length != 2 || !byte.TryParse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
                return false;
        }

        return true;
    }

    static string Format(ReadOnlySpan<byte> bytes) => string.Join(':', bytes.ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

    [Fact]
    public async Task A_type_registered_in_one_file_is_copied_and_verified()
    {
        PgTypes.Register(new MacAddrType());
        using var file = new SqliteTestFile(
            "CREATE TABLE devices (id INTEGER PRIMARY KEY, mac TEXT)",
            "INSERT INTO devices VALUES (1, '08:00:2B:01:02:03'), (2, '0a-1b-2c-3d-4e-5f'), (3, NULL), (4, 'not a mac')");
        await using var db = await TestCluster.CreateDatabaseAsync("registered_type");
        var rejects = Path.Combine(Path.GetDirectoryName(file.Path)!, "rejects");
        var options = new CopyOptions { Source = "sqlite:" + file.Path, Target = db.Target, RejectsDirectory = rejects, Casts = CopyOptions.ParseCasts(["devices.mac=macaddr"]) };

        var copy = await new CopyRunner(options).RunAsync(default);

        Assert.Equal((3L, 1L), (copy.RowsWritten, copy.RowsRejected));
        Assert.Equal("macaddr", await db.ScalarAsync<string>("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'devices'::regclass AND attname = 'mac'"));
        Assert.Equal(["08:00:2b:01:02:03", "0a:1b:2c:3d:4e:5f", null], (await db.RowsAsync("SELECT mac::text FROM devices ORDER BY id")).Select(r => (string?)r[0]));

        // The rejected row is not in the target: verify the rows the copy wrote.
        file.Execute("DELETE FROM devices WHERE id = 4");
        await using var source = file.Source();
        var verified = Assert.Single((await new Verifier(db.Target).VerifyAsync(source, copy.Plan, default)).Tables);
        Assert.True(verified.Ok, JsonSerializer.Serialize(new { verified.Problems, verified.Differences }));

        await db.ExecuteAsync("UPDATE devices SET mac = '08:00:2b:01:02:04' WHERE id = 1");
        var changed = Assert.Single((await new Verifier(db.Target).VerifyAsync(source, copy.Plan, default)).Tables);
        Assert.Equal([(1L, "changed")], changed.Differences.Select(d => ((long)d.Key!["id"]!, d.Kind)).ToList());
    }
}
