using Ferry.Connections;

namespace Ferry.Sources.Postgres;

/// <summary>
/// The PostgreSQL engine's registration: a <c>postgres://</c> (or <c>postgresql://</c>) URL, or a libpq keyword string
/// (<c>host=… dbname=…</c>). The text is the whole connection; <c>PG*</c> variables never fill it (they name the target).
/// </summary>
internal static class PostgresEngine
{
    public static readonly SourceEngine Postgres = new("postgres://USER@HOST/DB", [], SourceLocation.Connection, Open)
    {
        Recognizes = text => PostgresUrl.IsUrl(text) || LibpqKeywordString.Looks(text),
        Describe = text => Server(text).DisplayUrl,
        DefaultNames = Schema.NamingRule.Preserve,
    };

    static PostgresTarget Server(string text) => TargetResolver.FromSourceText(text, ProcessEnvironment.Reader);

    static ISource Open(SourceRequest request) =>
        new PostgresSource(Server(request.Location), request.Description, request.Options);
}
