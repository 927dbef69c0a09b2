using Ferry.Transforms.Spec;

namespace Ferry.Check.Spec;

/// <summary><c>references: { owner_id: users.id }</c>: every value that is not NULL is a value of the other table's column (a foreign key, declared or not).</summary>
public sealed record ReferencesExpectation(string Column, SourceTableName Table, string ReferencedColumn) : Expectation
{
    public override string Kind => "references";

    public override IReadOnlyList<string> Columns => [Column];

    public override string Description => $"references {Column} → {Table}.{ReferencedColumn}";
}
