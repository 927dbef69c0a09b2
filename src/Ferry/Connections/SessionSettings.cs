using Npgsql;

namespace Ferry.Connections;

/// <summary>
/// The session settings Ferry's own SQL relies on, part of every connection it makes: <c>standard_conforming_strings
/// = on</c> (a <c>'…'</c> string never escapes, as Ferry's lexers and generated SQL read it) and client_encoding UTF8.
/// They go in the startup packet, not as a SET: they are then the session's defaults, which a pooled connection's
/// DISCARD ALL / RESET ALL restores (and which win over ALTER DATABASE / ROLE … SET). The user's own <c>options</c>
/// (or <c>PGOPTIONS</c>) are kept, with Ferry's appended so that they win.
/// </summary>
internal static class SessionSettings
{
    internal const string Options = "-c standard_conforming_strings=on";

    public static void Apply(NpgsqlConnectionStringBuilder settings)
    {
        settings.ClientEncoding = "UTF8";
        settings.Encoding = "UTF8";
        // Npgsql sends PGOPTIONS only when the connection string has no Options of its own: keep it, as it would.
        var own = settings.Options ?? Environment.GetEnvironmentVariable("PGOPTIONS");
        if (string.IsNullOrWhiteSpace(own))
            settings.Options = Options;
        else if (!own.EndsWith(Options, StringComparison.Ordinal))
            settings.Options = own.TrimEnd() + " " + Options;
    }
}
