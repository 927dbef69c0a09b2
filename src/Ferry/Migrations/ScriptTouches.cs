namespace Ferry.Migrations;

/// <summary>
/// What one migration script touches (<see cref="MigrationAnalyzer.Analyze(string)"/>): the tables its statements change, in
/// statement order; the objects it creates; and why it may touch tables the analyzer cannot name (a <c>DO</c> block, a
/// <c>CALL</c>…), in which case a caller backs up the whole schema.
/// </summary>
public sealed record ScriptTouches(IReadOnlyList<TableTouch> Touches, IReadOnlyList<CreatedObject> Created, IReadOnlyList<string> Unknown)
{
    /// <summary>Some statement may change tables it does not name (<see cref="Unknown"/> says which and where).</summary>
    public bool TouchesUnknownTables => Unknown.Count > 0;
}
