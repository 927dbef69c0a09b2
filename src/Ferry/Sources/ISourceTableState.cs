namespace Ferry.Sources;

/// <summary>What one engine's readers need to know about a table beyond the neutral model (its rowid span, its FROM clause…).</summary>
internal interface ISourceTableState;
