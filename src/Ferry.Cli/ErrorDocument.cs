namespace Ferry.Cli;

/// <summary>
/// What a command that failed prints under <c>--json</c> when it printed no document of its own (DESIGN.md):
/// <c>{"ok":false,"error":{"code":"…","message":"…"}}</c>; also the journal's document of a run that ended on an error.
/// </summary>
internal sealed record ErrorDocument(bool Ok, ErrorDocument.Detail Error)
{
    /// <summary>A usage or configuration error (exit 2).</summary>
    public const string Usage = "usage";

    /// <summary>The operation ran and could not finish (exit 1).</summary>
    public const string Failed = "failed";

    /// <summary>The target went away (exit 1).</summary>
    public const string ConnectionLost = "connection_lost";

    /// <summary>Ctrl+C or SIGTERM (exit 130).</summary>
    public const string Cancelled = "cancelled";

    /// <summary>A bug in Ferry (exit 1).</summary>
    public const string Internal = "internal";

    public static ErrorDocument Of(string code, string message) => new(false, new Detail(code, message));

    internal sealed record Detail(string Code, string Message);
}
