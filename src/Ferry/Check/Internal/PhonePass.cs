using Ferry.Check.Spec;
using Ferry.Transforms;
using Ferry.Transforms.Steps;

namespace Ferry.Check.Internal;

/// <summary>
/// Phone numbers cannot be judged in SQL: the table's phone columns are read once, by key, and each value checked by
/// <see cref="ValidatePhoneStep"/> (libphonenumber), as <c>validate: phone</c> checks them during a copy.
/// </summary>
internal static class PhonePass
{
    public static async Task RunAsync(TableRun run, IReadOnlyList<CheckItem> items, CancellationToken cancellationToken)
    {
        var phones = items.Where(i => i.Expectation is MatchExpectation { Format: MatchFormat.Phone }).ToList();
        if (phones.Count == 0)
            return;
        var columns = phones.Select(p => p.Columns[0]).Distinct().ToList();
        var keyCount = run.Table.Key.Count;
        var checks = phones.Select(p => (
            Item: p,
            Step: new ValidatePhoneStep(((MatchExpectation)p.Expectation).Region!, ValuePolicy.Reject, e164: false),
            Position: keyCount + columns.IndexOf(p.Columns[0]),
            Shown: run.Shown(p),
            Samples: new List<CheckSample>())).ToList();
        var failing = new long[checks.Count];
        try
        {
            await run.Session.StreamAsync(run.Name, run.Dialect.Values(run.Table, columns), row =>
            {
                for (var i = 0; i < checks.Count; i++)
                {
                    var value = row[checks[i].Position];
                    if (value is null || checks[i].Step.Apply(ref value).Outcome != StepOutcome.Reject)
                        continue;
                    failing[i]++;
                    if (checks[i].Samples.Count < run.MaxSamples)
                        checks[i].Samples.Add(run.Sample([.. row.Take(keyCount), .. checks[i].Shown.Select(c => row[keyCount + columns.IndexOf(c)])], checks[i].Shown));
                }
            }, cancellationToken);
        }
        catch (CheckQueryException e)
        {
            foreach (var check in checks)
                run.Error(check.Item, e.Message);
            return;
        }

        for (var i = 0; i < checks.Count; i++)
            run.Done(checks[i].Item, failing[i], checks[i].Samples);
    }
}
