using System.Globalization;
using System.Text;
using System.Text.Json;
using Platform.Api.Hosting;
using Platform.Api.Usage;
using Platform.Grains.Interfaces.Entitlements;
using Platform.Grains.Interfaces.Usage;
using static Platform.Api.Portal.PortalHtml;

namespace Platform.Api.Portal;

/// <summary>
/// Usage: each metric of the subscription's current period (<see cref="UsageWindow"/>, as GET /v1/customers/{id}/usage)
/// against its entitlement limit, as a table and a bar chart. The page's script opens <see cref="PortalRoutes.UsageEvents"/>,
/// a server-sent event stream fed by the meter grain through <see cref="PortalUsageHub"/>: nothing polls.
/// </summary>
public static class PortalUsagePage
{
    public const int ChartWidth = 260;
    private const int ChartLabel = 130;
    private const int RowHeight = 36;

    private static readonly JsonSerializerOptions _json = JsonOptions();

    public static RouteGroupBuilder MapPortalUsage(this RouteGroupBuilder portal)
    {
        portal.MapGet("/usage", Usage);
        portal.MapGet("/usage/events", Events);
        return portal;
    }

    public static async Task Usage(HttpContext http, IGrainFactory grains)
    {
        var view = await PortalPages.ViewAsync(http, grains);
        var window = await UsageWindow.CurrentAsync(grains, view.Customer.Key);
        var usage = grains.GetGrain<IUsageMeterGrain>(view.Customer.Key).GetUsageAsync(UsageWindow.Query(window));
        var entitlements = await grains.GetGrain<IEntitlementsGrain>(view.Customer.Key).GetAsync();
        var summary = await usage;
        await WriteAsync(http, 200, Page(view, PortalRoutes.Usage, "Usage", Content(summary, Rows(summary, entitlements))));
    }

    public static async Task Events(HttpContext http, IGrainFactory grains, PortalUsageHub hub)
    {
        var customer = PortalClaims.Customer(http.User);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        using var subscription = await hub.WatchAsync(customer.Key);
        await http.Response.WriteAsync("retry: 3000\n\n", http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
        try
        {
            await foreach (var push in subscription.Reader.ReadAllAsync(http.RequestAborted))
            {
                // A push is the meter's own period; the page shows the subscription's (UsageWindow), re-read when they differ.
                var window = await UsageWindow.CurrentAsync(grains, customer.Key);
                var usage = UsageWindow.Covers(push, window)
                    ? push
                    : await grains.GetGrain<IUsageMeterGrain>(customer.Key).GetUsageAsync(UsageWindow.Query(window)) ?? push;
                var payload = new UsageEventPayload(usage.Metrics.Select(m => new UsageEventMetric(m.Metric, Canonical(m.Sum))).ToList());
                await http.Response.WriteAsync($"event: usage\ndata: {JsonSerializer.Serialize(payload, _json)}\n\n", http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    public static IReadOnlyList<UsageRow> Rows(UsageSummary? usage, EntitlementsSnapshot entitlements)
    {
        var limits = entitlements.Features.Where(f => f.Limit is not null).ToDictionary(f => f.Feature, f => f.Limit, StringComparer.Ordinal);
        var rows = (usage?.Metrics ?? []).Select(m => new UsageRow(m.Metric, m.Sum, limits.GetValueOrDefault(m.Metric))).ToList();
        rows.AddRange(limits.Where(l => rows.All(r => r.Metric != l.Key)).Select(l => new UsageRow(l.Key, 0, l.Value)));
        return rows.OrderBy(r => r.Metric, StringComparer.Ordinal).ToList();
    }

    private static string Content(UsageSummary? usage, IReadOnlyList<UsageRow> rows)
    {
        var html = new StringBuilder();
        html.Append("<section class=\"card\" aria-labelledby=\"period-h\"><h2 id=\"period-h\">This period");
        if (usage is not null)
        {
            html.Append(": ").Append(Date(usage.From)).Append(" – ").Append(Date(usage.To.AddSeconds(-1)));
        }
        html.Append("</h2><table class=\"usage\" id=\"usage-table\"><caption>Usage by metric</caption><thead><tr>")
            .Append("<th scope=\"col\">Metric</th><th scope=\"col\">Used</th><th scope=\"col\">Limit</th></tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr data-metric=\"").Append(E(row.Metric)).Append("\" data-limit=\"").Append(row.Limit?.ToString(CultureInfo.InvariantCulture) ?? "")
                .Append("\"><th scope=\"row\">").Append(E(row.Metric)).Append("</th><td class=\"usage-value\">").Append(Number(row.Used))
                .Append("</td><td>").Append(row.Limit is { } limit ? Number(limit) : "No limit").Append("</td></tr>");
        }
        html.Append("</tbody></table>");
        if (rows.Count == 0)
        {
            html.Append("<p id=\"usage-empty\">No usage reported this period yet.</p>");
        }
        html.Append(Chart(rows))
            .Append("<p id=\"usage-live\" class=\"live\" aria-live=\"polite\" data-stream=\"").Append(PortalRoutes.UsageEvents)
            .Append("\">Figures update here as usage is reported.</p></section>");
        return html.ToString();
    }

    /// <summary>Bars drawn with SVG attributes (no inline style); the script moves them as events arrive.</summary>
    private static string Chart(IReadOnlyList<UsageRow> rows)
    {
        var height = Math.Max(1, rows.Count) * RowHeight;
        var scale = rows.Select(r => (decimal?)r.Limit ?? r.Used).DefaultIfEmpty(0).Max();
        var html = new StringBuilder();
        html.Append("<figure class=\"chart\"><svg id=\"usage-chart\" role=\"img\" aria-labelledby=\"chart-title\" viewBox=\"0 0 ")
            .Append(ChartLabel + ChartWidth + 10).Append(' ').Append(height).Append("\" data-width=\"").Append(ChartWidth)
            .Append("\" data-label=\"").Append(ChartLabel).Append("\" data-row=\"").Append(RowHeight).Append("\" preserveAspectRatio=\"xMinYMin meet\">")
            .Append("<title id=\"chart-title\">Usage this period against each limit</title>");
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var of = row.Limit is { } l && l > 0 ? l : scale;
            var width = of > 0 ? (int)Math.Round(Math.Min(1m, row.Used / of) * ChartWidth) : 0;
            var y = i * RowHeight;
            html.Append("<g data-metric=\"").Append(E(row.Metric)).Append("\"><text x=\"0\" y=\"").Append(y + 22).Append("\">").Append(E(row.Metric)).Append("</text>")
                .Append("<rect class=\"track\" x=\"").Append(ChartLabel).Append("\" y=\"").Append(y + 8).Append("\" width=\"").Append(ChartWidth).Append("\" height=\"18\" rx=\"4\"></rect>")
                .Append("<rect class=\"bar\" x=\"").Append(ChartLabel).Append("\" y=\"").Append(y + 8).Append("\" width=\"").Append(width).Append("\" height=\"18\" rx=\"4\"></rect></g>");
        }
        return html.Append("</svg><figcaption>Each bar is the period's usage as a share of the plan's limit.</figcaption></figure>").ToString();
    }

    // A sum read from the log has the column's scale (7.000000000); from memory it has the inputs' (7): the same on the wire.
    private static decimal Canonical(decimal value) => value / 1.0000000000000000000000000000m;

    private static JsonSerializerOptions JsonOptions()
    {
        var options = new JsonSerializerOptions();
        ApiHost.ConfigureJson(options);
        return options;
    }
}
