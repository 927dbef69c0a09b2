using Ferry.Schema;

namespace Ferry.Transforms.Steps;

/// <summary>The columns whose values the steps here take (what a source gives as text), and the type a rewritten value needs.</summary>
internal static class TextColumns
{
    /// <summary>text, varchar, char, and an enum's labels; a PostgreSQL source's type whose values are text (citext, a domain over text…).</summary>
    public static bool Accepts(PgType type) =>
        type.Kind == PgTypeKind.Verbatim
            ? type.Verbatim?.Text is not null
            : type.Handler is null && type.Kind is PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char or PgTypeKind.Enum;

    /// <summary>
    /// text when a step's values (at most <paramref name="longest"/> characters) would not fit <paramref name="planned"/>
    /// (a shorter varchar/char, or an enum whose labels they are not; a PostgreSQL source's type by the built-in type its
    /// values are written as, see <see cref="VerbatimTypeName.Text"/>); null when they fit.
    /// </summary>
    public static PgType? Widened(PgType planned, int longest) => planned.Kind switch
    {
        PgTypeKind.Verbatim when planned.Verbatim?.Text is { } text => Widened(text, longest),
        PgTypeKind.Enum => PgType.Text,
        PgTypeKind.Varchar or PgTypeKind.Char when planned.Length is { } length && length < longest => PgType.Text,
        _ => null,
    };

    /// <summary>How a policy reads in the YAML and in a description.</summary>
    public static string Name(ValuePolicy policy) => policy switch
    {
        ValuePolicy.Reject => "reject",
        ValuePolicy.Null => "null",
        _ => "keep",
    };
}
