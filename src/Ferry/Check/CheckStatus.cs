namespace Ferry.Check;

/// <summary>How an expectation came out.</summary>
public enum CheckStatus
{
    Passed,

    /// <summary>Rows fail it and its severity is error: the check fails (exit 1).</summary>
    Failed,

    /// <summary>Rows fail it and its severity is warn: reported, the check still passes.</summary>
    Warned,

    /// <summary>It could not run (a missing table or column, SQL the server refused, no source to count): the check fails.</summary>
    Error,
}
