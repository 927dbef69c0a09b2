using Ferry.Connections;
using Ferry.Tests.Infrastructure;
using Npgsql;

namespace Ferry.Tests.Connections;

/// <summary>Every session Ferry opens has the settings its own SQL relies on, whatever the database or role says.</summary>
public sealed class SessionSettingsTests
{
    static async Task<string> ShowAsync(NpgsqlConnection connection, string setting)
    {
        await using var command = new NpgsqlCommand($"SHOW {setting}", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    static async Task<TestDatabase> LegacyDatabaseAsync()
    {
        var db = await TestCluster.CreateLegacyStringsDatabaseAsync();
        await db.ExecuteAsync($"ALTER DATABASE \"{db.Name}\" SET client_encoding = 'LATIN1'");
        await using var raw = await db.OpenRawAsync();
        Assert.Equal("off", await ShowAsync(raw, "standard_conforming_strings")); // as psql or an application sees it
        return db;
    }

    [Fact]
    public async Task A_pooled_connection_has_them_on_every_use_not_only_the_first()
    {
        await using var db = await LegacyDatabaseAsync();
        await using var dataSource = db.Target.CreateDataSource(builder => builder.ConnectionStringBuilder.MaxPoolSize = 1);
        var backends = new HashSet<int>();
        for (var use = 0; use < 3; use++)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            backends.Add(connection.ProcessID);
            Assert.Equal("on", await ShowAsync(connection, "standard_conforming_strings"));
            Assert.Equal("UTF8", await ShowAsync(connection, "client_encoding"));
            // As a statement of a run might: the pool's reset (DISCARD ALL) must bring back Ferry's setting, not the database's.
            await using var change = new NpgsqlCommand("SET standard_conforming_strings = off", connection);
            await change.ExecuteNonQueryAsync();
        }

        Assert.Single(backends); // one server session, used three times
        for (var use = 0; use < 2; use++)
        {
            await using var connection = await db.Target.OpenAsync(); // Npgsql's own pool, as verify and doctor use it
            Assert.Equal("on", await ShowAsync(connection, "standard_conforming_strings"));
            await using var change = new NpgsqlCommand("SET standard_conforming_strings = off", connection);
            await change.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task The_users_own_options_are_kept_and_ferrys_setting_wins()
    {
        await using var db = await LegacyDatabaseAsync();
        await db.ExecuteAsync("CREATE SCHEMA app");
        var target = PostgresTarget.Parse(db.Url + "?options=" + Uri.EscapeDataString("-c search_path=app -c standard_conforming_strings=off"));
        Assert.Equal(target.ConnectionString, target.WithDatabase(db.Name).ConnectionString); // appended once, however often wrapped

        await using var connection = await target.OpenAsync();
        Assert.Equal("app", await ShowAsync(connection, "search_path"));
        Assert.Equal("on", await ShowAsync(connection, "standard_conforming_strings"));
    }

    [Fact]
    public async Task A_pooler_that_refuses_the_options_parameter_is_named_with_the_way_out()
    {
        // What PgBouncer answers a startup packet carrying a parameter it does not know, on the wire.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var pooler = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var header = new byte[8];
            while (true)
            {
                await stream.ReadExactlyAsync(header);
                var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header);
                var code = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
                await stream.ReadExactlyAsync(new byte[length - 8]);
                if (code is 80877103 or 80877104) // SSLRequest, GSSENCRequest: refused, the startup packet follows
                {
                    stream.WriteByte((byte)'N');
                    continue;
                }

                var fields = System.Text.Encoding.ASCII.GetBytes("SFATAL\0VFATAL\0C08P01\0Munsupported startup parameter: options\0\0");
                var error = new byte[5 + fields.Length];
                error[0] = (byte)'E';
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(error.AsSpan(1), 4 + fields.Length);
                fields.CopyTo(error, 5);
                await stream.WriteAsync(error);
                return;
            }
        });

        var target = PostgresTarget.Parse($"postgres://app:Secr3tPw@127.0.0.1:{port}/shop?sslmode=disable");
        var e = await Assert.ThrowsAsync<FerryException>(() => target.OpenAsync());
        await pooler;
        Assert.Contains("unsupported startup parameter: options", e.Message, StringComparison.Ordinal);
        Assert.Contains("ignore_startup_parameters", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Secr3tPw", e.Message, StringComparison.Ordinal);
    }
}
