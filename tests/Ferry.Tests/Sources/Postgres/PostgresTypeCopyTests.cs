using Ferry.Copy;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Sources.Postgres;

/// <summary>Every built-in PostgreSQL type, with its edge values, arrives exact: its bytes pass through unchanged.</summary>
public sealed class PostgresTypeCopyTests
{
    /// <summary>Each type with values that are hard to carry: infinities, NaN, extremes, empty and unicode values.</summary>
    static readonly (string Type, string[] Values)[] Types =
    [
        ("numeric", ["'NaN'", "'Infinity'", "'-Infinity'", "'-0.000000000000000000000000000000001'", "'123456789012345678901234567890.123456789'"]),
        ("numeric(7,3)", ["'-9999.999'", "0"]),
        ("money", ["'-92233720368547758.08'", "'12.34'"]),
        ("real", ["'NaN'", "'-Infinity'", "'1e-45'", "'3.4028235e38'"]),
        ("double precision", ["'NaN'", "'Infinity'", "'4.9e-324'", "'-0'"]),
        ("smallint", ["-32768", "32767"]),
        ("bigint", ["-9223372036854775808", "9223372036854775807"]),
        ("boolean", ["true", "false"]),
        ("date", ["'infinity'", "'-infinity'", "'4713-01-01 BC'", "'5874897-12-31'"]),
        ("timestamp(3)", ["'infinity'", "'-infinity'", "'294276-12-31 23:59:59.999'", "'4713-01-01 00:00:00 BC'"]),
        ("timestamptz", ["'infinity'", "'-infinity'", "'2024-03-10 02:30:00.123456+05:45'"]),
        ("time", ["'24:00:00'", "'00:00:00.000001'"]),
        ("timetz", ["'23:59:59.999999-15:59'", "'00:00:00+15:59'"]),
        ("interval", ["'178000000 years'", "'-1 mon -2 days -00:00:00.000001'", "'1 day 25:00:00'"]),
        ("bit(5)", ["B'10101'"]),
        ("varbit", ["B''", "B'1111000011110000111'"]),
        ("bytea", ["''::bytea", "'\\x00ff10'::bytea"]),
        ("uuid", ["'00000000-0000-0000-0000-000000000000'", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"]),
        ("json", ["'{\"b\": 1,   \"a\": [1, 2.50]}'", "'\"\\u00e9\"'"]),
        ("jsonb", ["'{\"b\": 1, \"a\": [1, 2.50], \"\": null}'", "'[]'"]),
        ("xml", ["'<a b=\"1\">x &amp; ☃</a>'", "'text only'"]),
        ("inet", ["'192.168.0.1/24'", "'::ffff:1.2.3.4'"]),
        ("cidr", ["'10.0.0.0/8'", "'2001:db8::/32'"]),
        ("macaddr", ["'08:00:2b:01:02:03'"]),
        ("macaddr8", ["'08:00:2b:01:02:03:04:05'"]),
        ("tsvector", ["'a:1A fat:2B,4C cat:5D'", "''"]),
        ("tsquery", ["'fat & (rat | !cat)'", "'a <-> b'"]),
        ("point", ["'(1.5,-2)'"]),
        ("line", ["'{1,-1,0}'"]),
        ("lseg", ["'[(0,0),(1,1)]'"]),
        ("box", ["'(1,1),(0,0)'"]),
        ("path", ["'[(0,0),(1,1),(2,0)]'", "'((0,0),(1,1))'"]),
        ("polygon", ["'((0,0),(1,1),(1,0))'"]),
        ("circle", ["'<(0,0),2.5>'"]),
        ("int4range", ["'empty'", "'[1,10)'", "'(,5]'"]),
        ("tstzrange", ["'[2024-01-01,infinity)'"]),
        ("numrange", ["'(1.5,NaN)'::text::numrange", "'[,]'"]),
        ("int8multirange", ["'{}'", "'{[1,3), [5,8)}'"]),
        ("text", ["''", "'naïve ☃ 😀 \\ | \" '''"]),
        ("varchar(5)", ["'abcde'"]),
        ("char(4)", ["'ab'"]),
        ("\"char\"", ["'x'"]),
        ("name", ["'a name'"]),
        ("oid", ["4294967295"]),
        ("pg_lsn", ["'16/B374D848'"]),
        ("text[]", ["'{}'", "'{NULL,\"\",\"a,b\",\"☃\"}'", "'[2:3]={x,y}'", "'{{a,b},{c,d}}'"]),
        ("numeric[]", ["'{NaN,Infinity,1.50}'"]),
        ("timestamptz[]", ["'{infinity,-infinity,\"2024-01-01 00:00:00+00\"}'"]),
        ("jsonb[]", ["ARRAY['{\"a\": 1}'::jsonb, NULL]"]),
        ("inet[]", ["'{10.0.0.1,::1}'"]),
        ("int4range[]", ["ARRAY['[1,2)'::int4range, 'empty']"]),
        ("interval[]", ["'{\"1 day\",\"-1 mon\"}'"]),
        ("bytea[]", ["ARRAY['\\x00'::bytea]"]),
        ("point[]", ["ARRAY[point(1, 2)]"]),
        ("uuid[]", ["'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'"]),
    ];

    [Fact]
    public async Task Every_type_and_its_edge_values_arrive_exact()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        var columns = string.Join(", ", Types.Select((t, i) => $"c{i} {t.Type}"));
        var rows = Types.Max(t => t.Values.Length);
        var inserts = Enumerable.Range(0, rows + 1).Select(r =>
            $"INSERT INTO every_type VALUES ({r}, {string.Join(", ", Types.Select(t => r < t.Values.Length ? $"({t.Values[r]})::{t.Type}" : "NULL"))})");
        await source.ExecuteAsync($"SET extra_float_digits = 3; CREATE TABLE every_type (id int PRIMARY KEY, {columns}); {string.Join("; ", inserts)};");

        var result = await new CopyRunner(new CopyOptions { Source = source.Url, Target = target.Target }).RunAsync(default);

        Assert.True(result.Ok);
        Assert.Equal(rows + 1, result.RowsWritten);
        for (var i = 0; i < Types.Length; i++)
        {
            // The text output is exact for each of these types (floats print their shortest exact digits).
            var sql = $"SELECT string_agg(coalesce(c{i}::text, 'null'), ' ~ ' ORDER BY id) FROM every_type";
            Assert.Equal(await source.ScalarAsync<string>(sql), await target.ScalarAsync<string>(sql));
            var type = $"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'every_type'::regclass AND attname = 'c{i}'";
            Assert.Equal(await source.ScalarAsync<string>(type), await target.ScalarAsync<string>(type));
        }
    }
}
