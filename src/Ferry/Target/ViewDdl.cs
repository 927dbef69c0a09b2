using Ferry.Schema;

namespace Ferry.Target;

/// <summary>A view's creation as one statement list run in one implicit transaction: the view, a materialized view's indexes, the comments.</summary>
internal static class ViewDdl
{
    public static string Create(PlannedView view)
    {
        var statements = new List<string> { DdlWriter.CreateView(view) };
        foreach (var index in view.Source.Indexes)
        {
            statements.Add($"CREATE {(index.Unique ? "UNIQUE " : "")}INDEX {Identifiers.Quote(index.Name)} ON {view.QualifiedName} {index.ServerSql}");
            if (index.Comment is { } comment)
                statements.Add(CommentDdl.OnIndex(view.TargetSchema, index.Name, comment));
        }

        statements.AddRange(CommentDdl.OnView(view));
        return string.Join(";\n", statements);
    }
}
