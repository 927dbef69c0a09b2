using Ferry.Reports.Internal.Sections;

namespace Ferry.Reports.Internal;

/// <summary>The registered sections, one per kind of run; a kind none of them shows gets its document as a tree.</summary>
internal static class ReportSections
{
    static readonly IReportSection[] Registered =
    [
        new CopySection(),
        new VerifySection(),
        new CheckSection(),
        new MigrationSection(),
    ];

    static readonly IReportSection Fallback = new DocumentTreeSection();

    public static IReportSection For(string kind)
    {
        foreach (var section in Registered)
        {
            if (section.Shows(kind))
                return section;
        }

        return Fallback;
    }
}
