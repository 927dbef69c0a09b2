namespace Ferry.Check.Spec;

/// <summary>What a failed expectation means: <c>error</c> fails the check (exit 1), <c>warn</c> is reported and lets it pass.</summary>
public enum CheckSeverity
{
    Error,
    Warn,
}
