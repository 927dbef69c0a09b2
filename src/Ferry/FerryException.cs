namespace Ferry;

/// <summary>What kind of failure a <see cref="FerryException"/> reports; the CLI maps it to an exit code.</summary>
public enum FailureKind
{
    /// <summary>The operation ran and found a failure (a migration failed, verify found differences, rows were rejected).</summary>
    Failed = 1,

    /// <summary>Usage or configuration error: bad arguments, unreachable target, unreadable source, refused plan.</summary>
    Configuration = 2,
}

/// <summary>
/// An expected failure with a message meant for the user: it names what is wrong and where, and says what
/// to do. The CLI prints the message without a stack trace.
/// </summary>
public class FerryException : Exception
{
    public FerryException(string message, FailureKind kind = FailureKind.Configuration, Exception? inner = null)
        : base(message, inner) => Kind = kind;

    public FerryException() : this("Ferry failed.") { }

    public FerryException(string message) : this(message, FailureKind.Configuration) { }

    public FerryException(string message, Exception inner) : this(message, FailureKind.Configuration, inner) { }

    public FailureKind Kind { get; }
}
