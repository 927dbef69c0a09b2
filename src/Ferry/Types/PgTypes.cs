using System.Collections.Concurrent;
using Ferry.Schema;
using Ferry.Types.Arrays;
using Ferry.Types.Binary;
using Ferry.Types.BitStrings;
using Ferry.Types.Network;
using Ferry.Types.Numeric;
using Ferry.Types.Temporal;
using Ferry.Types.Text;

namespace Ferry.Types;

/// <summary>
/// The registry of the PostgreSQL types Ferry writes: each <see cref="PgTypeKind"/> has one handler, found by kind
/// or by catalog name. A type beyond the kinds registers its handler by name (<see cref="Register"/>); a
/// <see cref="PgType"/> parsed from that name carries it.
/// </summary>
internal static class PgTypes
{
    /// <summary>Adding a type: its file in a family folder, and its handler here.</summary>
    public static IReadOnlyList<PgTypeHandler> BuiltIn { get; } =
    [
        new BooleanType(), new IntegerTypes(), new NumericType(), new FloatTypes(), new TextTypes(), new EnumType(),
        new ByteaType(), new GeometryType(), new DateType(), new TimeTypes(), new TimestampTypes(), new IntervalType(),
        new UuidType(), new BitStringTypes(), new ArrayType(), new VerbatimType(), InetType.Instance,
    ];

    static readonly PgTypeHandler[] ByKind = IndexByKind();

    static readonly ConcurrentDictionary<string, PgTypeHandler> ByCatalogName = new(
        BuiltIn.SelectMany(h => h.CatalogNames.Select(n => KeyValuePair.Create(n, h))), StringComparer.Ordinal);

    /// <summary>The types beyond the kinds, by name: the built-in ones without a kind (inet), then those added.</summary>
    static readonly ConcurrentDictionary<string, PgTypeHandler> Registered = new(
        BuiltIn.Where(h => h.Kinds.Count == 0).SelectMany(h => h.CatalogNames.Select(n => KeyValuePair.Create(n, h))), StringComparer.Ordinal);

    static PgTypeHandler[] IndexByKind()
    {
        var handlers = new PgTypeHandler[Enum.GetValues<PgTypeKind>().Length];
        foreach (var handler in BuiltIn)
        {
            foreach (var kind in handler.Kinds)
                handlers[(int)kind] = handler;
        }

        return handlers;
    }

    /// <summary>The handler of a type: its own for a registered type, else its kind's.</summary>
    public static PgTypeHandler For(PgType type) => type.Handler ?? ByKind[(int)type.Kind];

    /// <summary>The handler of a target column's catalog type name, if Ferry writes that type.</summary>
    public static PgTypeHandler? ForCatalogName(string typeName) => ByCatalogName.GetValueOrDefault(typeName);

    /// <summary>Adds a type beyond <see cref="PgTypeKind"/>, by its catalog names (which <see cref="PgType.Parse"/> then accepts).</summary>
    public static void Register(PgTypeHandler handler)
    {
        foreach (var name in handler.CatalogNames)
        {
            Registered[name] = handler;
            ByCatalogName[name] = handler;
        }
    }

    /// <summary>A registered type by name, or null.</summary>
    public static PgType? Parse(string name) =>
        Registered.TryGetValue(name, out var handler) ? new PgType(handler.ReadAs) { Handler = handler } : null;

    /// <summary>Whether verify hashes a long value of this type apart (by default: the types whose values can be long).</summary>
    public static bool HashesLongValuesApart(PgType type)
    {
        var handler = For(type);
        return handler.HashesLongValuesApart(handler.CatalogName(type));
    }

    /// <summary>Whether a catalog type's text never holds <c>\</c> or <c>|</c> (oid: a catalog type Ferry does not write).</summary>
    public static bool IsPlain(string typeName) => ForCatalogName(typeName)?.PlainText ?? typeName == "oid";
}
