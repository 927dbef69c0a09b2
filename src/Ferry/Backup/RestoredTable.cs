namespace Ferry.Backup;

/// <summary>
/// One restored table: where it now is, what was done (refilled, recreated, created, created in SCHEMA), its rows, and
/// whether its fingerprint now is the one the backup recorded.
/// </summary>
public sealed record RestoredTable(string Table, string RestoredAs, string Action, long Rows, string ExpectedFingerprint, string Fingerprint)
{
    public bool Proven => Fingerprint == ExpectedFingerprint;
}
