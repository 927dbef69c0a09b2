namespace Ferry.Sources;

/// <summary>Options only one kind of source reads (<see cref="DuckDb.CsvOptions"/> for <c>csv:</c>): given in <see cref="SourceOptions.EngineOptions"/>, found by type.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1040:Avoid empty interfaces", Justification = "Marks the options records an engine takes by type.")]
public interface IEngineOptions;
