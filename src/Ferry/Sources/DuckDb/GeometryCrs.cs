using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ferry.Sources.DuckDb;

/// <summary>
/// The PostGIS SRID of a DuckDB GEOMETRY's coordinate reference system, where it names one: <c>EPSG:n</c>, an
/// <c>OGC:CRS84</c>-style identifier (longitude/latitude, which PostGIS keeps as SRID 4326 and the x/y order GeoParquet
/// uses), or a PROJJSON whose own id is an EPSG code. Any other CRS (WKT2, PROJJSON without an EPSG id) has none.
/// </summary>
internal static partial class GeometryCrs
{
    public static int? Srid(string? crs)
    {
        if (string.IsNullOrWhiteSpace(crs))
            return null;
        var text = crs.Trim();
        if (Authority().Match(text) is { Success: true } id)
            return Code(id.Groups["authority"].Value, id.Groups["code"].Value);
        if (!text.StartsWith('{'))
            return null;
        try
        {
            using var projJson = JsonDocument.Parse(text);
            return projJson.RootElement.TryGetProperty("id", out var own) && own.ValueKind == JsonValueKind.Object
                && own.TryGetProperty("authority", out var authority) && own.TryGetProperty("code", out var code)
                ? Code(authority.GetString() ?? "", code.ToString())
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static int? Code(string authority, string code) => authority.ToUpperInvariant() switch
    {
        "EPSG" when int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var srid) && srid > 0 => srid,
        "OGC" => code.ToUpperInvariant() switch
        {
            "CRS84" => 4326, // WGS 84, longitude first
            "CRS83" => 4269, // NAD83
            "CRS27" => 4267, // NAD27
            _ => null,
        },
        _ => null,
    };

    [GeneratedRegex(@"^(?<authority>[A-Za-z]+):(?<code>[A-Za-z0-9]+)$")]
    private static partial Regex Authority();
}
