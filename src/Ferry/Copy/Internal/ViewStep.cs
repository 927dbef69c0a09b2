using Ferry.Connections;
using Ferry.Schema;
using Npgsql;

namespace Ferry.Copy.Internal;

/// <summary>Views, retried while some succeed (a view may use another); one that still fails is a warning.</summary>
internal static class ViewStep
{
    public static async Task CreateAsync(TargetSession session, SchemaPlan plan, CopyResult result, CancellationToken cancellationToken)
    {
        var pending = plan.Views.Where(v => v.TargetSql is not null).ToList();
        var errors = new Dictionary<ViewModel, string>();
        while (pending.Count > 0)
        {
            var failed = new List<ViewModel>();
            foreach (var view in pending)
            {
                var name = Identifiers.Qualify(view.TargetSchema, view.TargetName);
                var refusal = await session.RunAsync($"creating view {name}", async (connection, retry, ct) =>
                {
                    if (retry > 0 && await TargetSql.ExistsAsync(connection, name, ct))
                        return null; // the lost attempt committed
                    try
                    {
                        await TargetSql.ExecuteAsync(connection, DdlWriter.ViewSearchPath(view), ct);
                        await TargetSql.ExecuteAsync(connection, DdlWriter.CreateView(view), ct);
                        return null;
                    }
                    catch (PostgresException e) when (ConnectionLoss.Describe(e) is null)
                    {
                        return e.MessageText;
                    }
                }, cancellationToken);
                if (refusal is not null)
                {
                    errors[view] = refusal;
                    failed.Add(view);
                }
            }

            if (failed.Count == pending.Count)
                break;
            pending = failed;
        }

        await session.ExecuteAsync("creating views", "RESET search_path", cancellationToken);
        foreach (var view in pending)
            result.Warnings.Add($"view {view.SourceName} was not created: {errors[view]}");
    }
}
