using Ferry.Connections;
using Ferry.Copy;
using Ferry.Schema;
using Npgsql;

namespace Ferry.Target;

/// <summary>Views, retried while some succeed (a view may use another); one that still fails is a warning.</summary>
internal static class ViewStep
{
    /// <summary>Creates the views of <paramref name="views"/>, then runs its last step (the search_path reset).</summary>
    public static async Task CreateAsync(TargetSession session, StepGroup views, CopyResult result, CancellationToken cancellationToken)
    {
        var pending = views.Steps.Where(s => s.Kind == StepKind.View).ToList();
        var errors = new Dictionary<TargetStep, string>(ReferenceEqualityComparer.Instance);
        while (pending.Count > 0)
        {
            var failed = new List<TargetStep>();
            foreach (var step in pending)
            {
                var view = step.View!;
                var name = view.QualifiedName;
                var refusal = await session.RunAsync($"creating view {name}", async (connection, retry, ct) =>
                {
                    if (retry > 0 && await TargetSql.ExistsAsync(connection, name, ct))
                        return null; // the lost attempt committed
                    try
                    {
                        foreach (var statement in step.Statements)
                            await TargetSql.ExecuteAsync(connection, statement, ct);
                        return null;
                    }
                    catch (PostgresException e) when (ConnectionLoss.Describe(e) is null)
                    {
                        return e.MessageText;
                    }
                }, cancellationToken);
                if (refusal is not null)
                {
                    errors[step] = refusal;
                    failed.Add(step);
                }
            }

            if (failed.Count == pending.Count)
                break;
            pending = failed;
        }

        await session.ExecuteAsync("creating views", views.Steps[^1].Sql, cancellationToken);
        foreach (var step in views.Steps.Where(s => s.Kind == StepKind.View).Except(pending))
            result.Created.AddView(step.View!.DisplayName);
        foreach (var step in pending)
            result.Warnings.Add($"view {step.View!.SourceName} was not created: {errors[step]}");
    }
}
