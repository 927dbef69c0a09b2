using Ferry.Connections;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Verify;
using Ferry.Verify.Internal;
using Npgsql;

namespace Ferry.Sync.Internal;

/// <summary>
/// Finds the keys a target table differs from its source by, with verify's comparison (<see cref="TableComparison"/>):
/// both sides fold their rows into buckets by key hash (a PostgreSQL source on its own server, in its snapshot; another in
/// C# as its readers stream), only the differing buckets' keys and row hashes are read again and compared. Given only a
/// table's key columns, it compares keys alone: the target keys the source no longer has.
/// </summary>
internal static class BucketDiff
{
    /// <summary>
    /// Far fewer rows per bucket than verify's: a bucket holding one changed row is read again whole, and after 1% of the
    /// rows changed most buckets of a thousand rows hold one.
    /// </summary>
    const int RowsPerBucket = 8;

    /// <summary>More groups than this spill the target's bucket aggregate out of its 64 MB of memory.</summary>
    const int MaxBuckets = 1 << 18;

    public static async Task<KeyDifferences> CompareAsync(ISource source, PlannedTable table, string schema, string name, SyncOptions options, PostgresTarget target, CancellationToken cancellationToken)
    {
        var copy = options.Copy;
        var verify = new VerifyOptions
        {
            Names = copy.Names,
            Schema = copy.TargetSchema,
            TableRenames = copy.TableRenames,
            ColumnSteps = copy.ColumnSteps,
            Origins = copy.Origins,
            MaxDifferences = int.MaxValue,
            Retry = RetryPolicy.None,
        };
        await using var connection = await OpenAsync(target, cancellationToken);
        var utf8 = await HashingSession.ServerSettingsAsync(connection, "target", cancellationToken);
        var described = await TargetTable.LoadAsync(connection, schema, name, cancellationToken)
            ?? throw new FerryException($"{schema}.{name} is not in the target any more.", FailureKind.Failed);
        var result = new TableVerification { Source = table.Source.QualifiedSourceName, Target = $"{schema}.{name}" };
        SourceTableOnServer? onServer = null;
        if (source is IServerHashedSource hashed)
            onServer = await new SourceServer(hashed).OpenTableAsync(table, cancellationToken);
        else
            Verifier.AdoptTargetTypes(table, described, copy.Names);
        await using (onServer)
        {
            var comparison = new TableComparison(source, table, described, verify, connection, utf8, result, ct => OpenAsync(target, ct), onServer)
            {
                RowsPerBucket = RowsPerBucket,
                MaxBuckets = MaxBuckets,
                KeepSourceRows = true,
            };
            var differences = await comparison.KeyedDifferencesAsync(cancellationToken);
            if (comparison.KeyColumns.Count == 0)
            {
                throw new FerryException(
                    $"{result.Target} has no primary key: a sync by diff matches rows by key. Add one to the source table (or to the target: ALTER TABLE {described.QualifiedName} ADD PRIMARY KEY (…)).",
                    FailureKind.Failed);
            }

            if (result.Problems.Count > 0)
                throw new FerryException($"{result.Target} cannot be compared with {result.Source} by key: {string.Join("; ", result.Problems)}.", FailureKind.Failed);
            var sourceNames = comparison.KeyColumns
                .Select(k => table.Written.First(c => Verifier.TargetNameOf(table, c, copy.Names) == k.Name).SourceName)
                .ToList();
            return new KeyDifferences([.. comparison.KeyColumns], sourceNames, differences, result.SourceRejected);
        }
    }

    /// <summary>A connection to the target with the session settings and memory the hashing needs.</summary>
    static async Task<NpgsqlConnection> OpenAsync(PostgresTarget target, CancellationToken cancellationToken)
    {
        var connection = await target.OpenAsync(cancellationToken);
        await HashingSession.PinAsync(connection, cancellationToken);
        return connection;
    }
}
