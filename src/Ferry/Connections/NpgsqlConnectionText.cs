using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;

namespace Ferry.Connections;

/// <summary>
/// Npgsql (ADO.NET) connection strings, <c>Host=db;Database=shop;Password=…</c>, read key by key so that an error
/// names the key at fault and never shows a value: Npgsql's own messages carry the value, or the whole string.
/// </summary>
internal static partial class NpgsqlConnectionText
{
    /// <summary>Written as a connection string: it splits into keys Npgsql knows, separated by ';' (a single key: its value has no spaces).</summary>
    public static bool Looks(string text)
    {
        var pairs = Split(text);
        if (pairs is null || pairs.Count == 0 || !pairs.All(p => Known(p.Key)))
            return false;
        return text.Contains(';', StringComparison.Ordinal) || !pairs[0].Value.Any(char.IsWhiteSpace);
    }

    /// <summary>The settings; errors start with <paramref name="label"/> and name keys, never values.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string text, string label, out bool passwordGiven)
    {
        var error = new TargetTextError(label, "connection string");
        var pairs = Split(text, out var syntaxError) ?? throw error.Structure(
            $"the connection string is malformed{(syntaxError is { } at ? $" at character {at + 1}" : "")}: a quote that is not closed, or a part without '='");
        var builder = new NpgsqlConnectionStringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (!Known(key))
                throw error.UnknownName(key, "See Npgsql's connection string keywords, or write a postgres:// URL.");
            try
            {
                builder[key] = value;
            }
            catch (ArgumentException e)
            {
                throw error.Value(key, Problem(key, e.InnerException));
            }

            error.AfterSecret |= LibpqParameters.IsSecret(key.Replace(" ", "", StringComparison.Ordinal)) || Redaction.MayHoldPassword(value);
        }

        if (!LibpqParameters.IsPort(builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            throw error.Value("port", "is not a number from 1 to 65535");
        passwordGiven = !string.IsNullOrEmpty(builder.Password) || !string.IsNullOrEmpty(builder.SslPassword);
        return builder;
    }

    static readonly NpgsqlConnectionStringBuilder Keywords = new();

    static bool Known(string key) => Keywords.ContainsKey(key);

    /// <summary>What is wrong with a key's value, from the kind of failure (Npgsql's message shows the value).</summary>
    static string Problem(string key, Exception? cause) => key.Equals("port", StringComparison.OrdinalIgnoreCase)
        ? "is not a number from 1 to 65535"
        : cause switch
        {
            FormatException => "is not in the form it takes (a number, or true or false)",
            ArgumentOutOfRangeException or OverflowException => "is out of range",
            ArgumentException => "is not one of the values it takes",
            _ => "is not a value it takes",
        };

    static List<(string Key, string Value)>? Split(string text) => Split(text, out _);

    /// <summary>The key/value pairs in order, by ADO.NET's rules; null when they do not parse (<paramref name="at"/>: where, when known).</summary>
    static List<(string Key, string Value)>? Split(string text, out int? at)
    {
        at = null;
        var generic = new DbConnectionStringBuilder();
        try
        {
            generic.ConnectionString = text;
        }
        catch (ArgumentException e)
        {
            // .NET says where ("… starting at index 7"), never what; only the number is taken.
            if (Index().Match(e.Message) is { Success: true } m)
                at = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return null;
        }

        var pairs = new List<(string, string)>();
        foreach (string key in generic.Keys)
            pairs.Add((key, generic[key] as string ?? ""));
        return pairs;
    }

    [GeneratedRegex(@"index (\d+)")]
    private static partial Regex Index();
}
