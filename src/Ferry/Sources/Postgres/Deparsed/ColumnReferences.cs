namespace Ferry.Sources.Postgres.Deparsed;

/// <summary>
/// Finds the column references in deparsed SQL: the identifiers that name a column of the table, as opposed to
/// function names, fields of a composite, qualified names' parts, type and collation names, operator classes,
/// storage parameters, labels and the deparser's keywords (which it writes in upper case, while quote_ident quotes
/// every identifier with an upper-case letter).
/// </summary>
internal static class ColumnReferences
{
    /// <summary>The words of multi-word type names as format_type writes them (<c>timestamp(3) without time zone</c>).</summary>
    static readonly HashSet<string> TypeNameWords = new(StringComparer.Ordinal)
    {
        "precision", "varying", "with", "without", "time", "zone", "to", "year", "month", "day", "hour", "minute", "second",
    };

    /// <summary>Reserved words the deparser writes in lower case: constants, never a bare identifier.</summary>
    static readonly HashSet<string> LowerCaseConstants = new(StringComparer.Ordinal) { "true", "false" };

    /// <summary>The indexes of the tokens that are column references.</summary>
    public static List<int> Find(IReadOnlyList<DeparsedToken> tokens)
    {
        var references = new List<int>();
        // Whether the previous token completed an operand: an identifier then is an operator class, never a column.
        var afterOperand = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.IsPunctuation("::"))
            {
                i = SkipTypeName(tokens, i + 1) - 1;
                afterOperand = true;
            }
            else if (token.IsKeyword("COLLATE"))
            {
                i = SkipName(tokens, i + 1) - 1;
                afterOperand = true;
            }
            else if ((token.IsKeyword("WITH") || token.IsKeyword("OPERATOR")) && IsPunctuation(tokens, i + 1, "("))
            {
                // Storage parameters (fillfactor='70'), not the WITH of an exclusion element (col WITH =); or an
                // operator's qualified name (OPERATOR(public.===)), which stands between operands.
                i = SkipGroup(tokens, i + 1) - 1;
                afterOperand = false;
            }
            else if (token.IsKeyword("REFERENCES"))
            {
                // A foreign key's referenced table and its columns: another table's names, renamed by its own map.
                var end = SkipName(tokens, i + 1);
                i = (IsPunctuation(tokens, end, "(") ? SkipGroup(tokens, end) : end) - 1;
                afterOperand = false;
            }
            else if (IsLabelKeyword(tokens, i) && i + 1 < tokens.Count && tokens[i + 1].IsIdentifier)
            {
                // EXTRACT(year FROM ts), XMLELEMENT(NAME tag, …), xmlattributes(expr AS label), TABLESPACE name.
                i++;
                afterOperand = true;
            }
            else if (token.IsUpperCaseWord)
            {
                afterOperand = false;
            }
            else if (token.IsIdentifier)
            {
                if (afterOperand)
                {
                    // An operator class (text_pattern_ops, public.gist_trgm_ops), with its parameters (siglen='32').
                    var end = SkipName(tokens, i);
                    if (IsPunctuation(tokens, end, "("))
                        end = SkipGroup(tokens, end);
                    i = end - 1;
                }
                else if (IsReference(tokens, i))
                {
                    references.Add(i);
                }

                afterOperand = !IsPunctuation(tokens, i + 1, "(");
            }
            else
            {
                afterOperand = token.Kind is DeparsedTokenKind.String or DeparsedTokenKind.Number
                    || token.IsPunctuation(")") || token.IsPunctuation("]");
            }
        }

        return references;
    }

    static bool IsReference(IReadOnlyList<DeparsedToken> tokens, int i)
    {
        var token = tokens[i];
        if (token.Kind == DeparsedTokenKind.Word && LowerCaseConstants.Contains(token.Text))
            return false;
        if (i > 0 && tokens[i - 1].IsPunctuation("."))
            return false;
        if (i + 1 >= tokens.Count)
            return true;
        var next = tokens[i + 1];
        return !next.IsPunctuation(".") && !next.IsPunctuation("(")
            && !(next.Kind == DeparsedTokenKind.Operator && next.Text == "=>");
    }

    /// <summary>A keyword whose next identifier is a label of its own: a field, an element name, a tablespace.</summary>
    static bool IsLabelKeyword(IReadOnlyList<DeparsedToken> tokens, int i)
    {
        var token = tokens[i];
        if (token.IsKeyword("NAME") || token.IsKeyword("AS") || token.IsKeyword("TABLESPACE"))
            return true;
        return token.IsPunctuation("(") && i > 0 && tokens[i - 1].IsKeyword("EXTRACT");
    }

    /// <summary>A possibly qualified name (<c>word</c>, <c>schema.word</c>); returns the index after it.</summary>
    internal static int SkipName(IReadOnlyList<DeparsedToken> tokens, int i)
    {
        if (i >= tokens.Count || !tokens[i].IsIdentifier)
            return i;
        i++;
        while (IsPunctuation(tokens, i, ".") && i + 1 < tokens.Count && tokens[i + 1].IsIdentifier)
            i += 2;
        return i;
    }

    /// <summary>
    /// A type name after <c>::</c> as format_type writes it: quoted or qualified, multi-word
    /// (<c>double precision</c>, <c>timestamp(3) without time zone</c>), with type modifiers and <c>[]</c>.
    /// </summary>
    static int SkipTypeName(IReadOnlyList<DeparsedToken> tokens, int i)
    {
        i = SkipName(tokens, i);
        while (i < tokens.Count)
        {
            var token = tokens[i];
            if (token.IsPunctuation("(") || token.IsPunctuation("["))
                i = SkipGroup(tokens, i);
            else if (token.Kind == DeparsedTokenKind.Word && TypeNameWords.Contains(token.Text))
                i++;
            else
                break;
        }

        return i;
    }

    /// <summary>A bracketed group from its opening <c>(</c> or <c>[</c>; returns the index after the closing one.</summary>
    internal static int SkipGroup(IReadOnlyList<DeparsedToken> tokens, int i)
    {
        var depth = 0;
        for (; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.IsPunctuation("(") || token.IsPunctuation("["))
                depth++;
            else if ((token.IsPunctuation(")") || token.IsPunctuation("]")) && --depth == 0)
                return i + 1;
        }

        return i;
    }

    static bool IsPunctuation(IReadOnlyList<DeparsedToken> tokens, int i, string text) =>
        i < tokens.Count && tokens[i].IsPunctuation(text);
}
