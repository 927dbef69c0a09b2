namespace Ferry.Copy;

/// <summary>Progress of one table's load.</summary>
public sealed record CopyProgress(string Table, long RowsRead, long RowsWritten, long RowsRejected, long? EstimatedRows, bool Finished);
