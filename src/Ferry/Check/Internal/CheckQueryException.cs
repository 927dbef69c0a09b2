namespace Ferry.Check.Internal;

/// <summary>The database refused or failed one of a check's queries: the expectation it served is in error, the others go on.</summary>
internal sealed class CheckQueryException(string message, Exception? inner = null) : Exception(message, inner);
