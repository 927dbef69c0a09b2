namespace Ferry.Check;

/// <summary>Why a check ran a query (<see cref="CheckQuery"/>).</summary>
public enum CheckQueryPurpose
{
    /// <summary>The one pass over a table that counts every expectation's failing rows.</summary>
    Scan,

    /// <summary>The failing rows' keys of one failed expectation.</summary>
    Sample,

    /// <summary>A <c>references</c> expectation's anti-join, its count and first keys together.</summary>
    References,

    /// <summary>A <c>sql</c> expectation's query, its count and first rows together (read-only).</summary>
    Sql,

    /// <summary>The pass that reads phone columns to check them with libphonenumber.</summary>
    Phone,

    /// <summary>After the scan failed, one expectation's SQL tried alone (no rows read) to find which one the server refuses.</summary>
    Probe,
}
