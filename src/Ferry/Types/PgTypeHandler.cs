using System.Globalization;
using Ferry.Schema;

namespace Ferry.Types;

/// <summary>
/// One PostgreSQL type, or a family of close ones: its name in DDL, its binary COPY writer (the slot class, with the
/// checks of what PostgreSQL would refuse), its OID, and its canonical text in SQL for verify. Found through
/// <see cref="PgTypes"/>; the C# side of the canonical text is <see cref="CanonicalValue"/>.
/// </summary>
internal abstract class PgTypeHandler
{
    /// <summary>The kinds it writes; empty for a type registered beyond <see cref="PgTypeKind"/>.</summary>
    public virtual IReadOnlyList<PgTypeKind> Kinds => [];

    /// <summary>The names <c>pg_type.typname</c> gives the types it writes: the target catalog's name finds the handler.</summary>
    public abstract IReadOnlyList<string> CatalogNames { get; }

    /// <summary>The type as written in DDL.</summary>
    public abstract string ToSql(PgType type);

    /// <summary>The catalog name of <paramref name="type"/> (one of <see cref="CatalogNames"/>).</summary>
    public virtual string CatalogName(PgType type) => CatalogNames[0];

    /// <summary>The OID a binary array names its elements by.</summary>
    public abstract uint Oid(PgType type);

    /// <summary>A batch's slots for a column of the type: its values and their binary COPY writer.</summary>
    public abstract ColumnSlots CreateSlots(PgType type, int capacity);

    /// <summary>The canonical text of the SQL expression <paramref name="x"/> of catalog type <paramref name="typeName"/>, unescaped.</summary>
    public virtual string CanonicalSql(string x, string typeName, bool hasTrimScale) => $"{x}::text";

    /// <summary>Whether, as an array element, its canonical text differs from its output in the array's own text.</summary>
    public virtual bool ElementNeedsCanonicalSql(string typeName) => false;

    /// <summary>Whether its text never holds <c>\</c> or <c>|</c>: escaping it would change nothing.</summary>
    public virtual bool PlainText => false;

    /// <summary>Whether its values can be long: verify hashes a long one apart (see <c>CanonicalSql.LongValueBytes</c>).</summary>
    public virtual bool HashesLongValuesApart(string typeName) => false;

    /// <summary>For a registered type: the kind sources read its values as (text, for a value given as text).</summary>
    public virtual PgTypeKind ReadAs => PgTypeKind.Text;

    /// <summary>For a registered type read as text: the canonical text of a source value, as PostgreSQL prints it.</summary>
    public virtual string CanonicalText(string value) => value;

    /// <summary><c>(n)</c>, or nothing.</summary>
    protected static string Modifier(int? n) => n is { } v ? $"({v.ToString(CultureInfo.InvariantCulture)})" : "";
}
