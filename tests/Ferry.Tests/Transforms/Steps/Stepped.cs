using System.Text.Json;
using Ferry.Transforms;

namespace Ferry.Tests.Transforms.Steps;

/// <summary>One value through one step, as the sink gives it: what it became and why, if rejected.</summary>
internal static class Stepped
{
    public static (StepOutcome Outcome, string Value, string? Reason) Run(ColumnStep step, string value)
    {
        var result = step.Apply(ref value);
        return (result.Outcome, value, result.Reason);
    }

    /// <summary>The rejects of the members table the step copy tests share (rows 3, 5 and 6): by id, column, value and reason.</summary>
    public static readonly (string?, string?, string?, string?)[] MemberRejects =
    [
        ("3", "email", "not-an-email", "validate email: not a valid e-mail address (WHATWG HTML)"),
        ("5", "role", "root", "map: no mapping for 'root'"),
        ("6", "last_ip", "0x7f.1", "validate ip: not an IPv4 or IPv6 address"),
    ];

    /// <summary>A rejects file's entries as (id, column, value, reason), by id.</summary>
    public static async Task<List<(string?, string?, string?, string?)>> RejectsAsync(string file) =>
        (await File.ReadAllLinesAsync(file)).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(r => (r.GetProperty("key").GetProperty("id").GetString(), r.GetProperty("column").GetString(), r.GetProperty("value").GetString(), r.GetProperty("reason").GetString()))
            .OrderBy(r => r.Item1, StringComparer.Ordinal).ToList();
}
