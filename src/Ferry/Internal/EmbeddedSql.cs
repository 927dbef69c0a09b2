namespace Ferry.Internal;

/// <summary>The catalog queries an engine keeps in its <c>Catalog/*.sql</c> files, embedded in the assembly (the csproj embeds every .sql file).</summary>
internal static class EmbeddedSql
{
    /// <summary>The text of <c>Catalog/<paramref name="file"/></c> in the folder of <paramref name="type"/>'s namespace.</summary>
    public static string Catalog(Type type, string file)
    {
        var name = $"{type.Namespace}.Catalog.{file}";
        using var stream = type.Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The catalog query {name} is not embedded in {type.Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
