using System.Globalization;

namespace Platform.Integration.Tests.Telemetry;

/// <summary>One scrape of a /metrics endpoint (Prometheus text format), summed by metric and label filter.</summary>
public sealed class PrometheusScrape
{
    private readonly List<(string Name, string Labels, double Value)> _samples = [];

    private PrometheusScrape(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            var name = brace >= 0 && brace < space ? line[..brace] : line[..line.IndexOf(' ', StringComparison.Ordinal)];
            var labels = brace >= 0 && brace < space ? line[brace..(line.LastIndexOf('}') + 1)] : "";
            // A sample may carry a timestamp after the value.
            var rest = line[(labels.Length + name.Length)..].Trim().Split(' ');
            if (double.TryParse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                _samples.Add((name, labels, value));
            }
        }
    }

    public string Text { get; }

    public static async Task<PrometheusScrape> TakeAsync(Uri baseAddress)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        var response = await client.GetAsync("/metrics");
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from {baseAddress}metrics: {await response.Content.ReadAsStringAsync()}");
        }
        return new PrometheusScrape(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sum of every sample of <paramref name="metric"/> whose labels contain each of <paramref name="labels"/> (<c>key="value"</c>).</summary>
    public double Sum(string metric, params string[] labels) =>
        _samples.Where(s => s.Name == metric && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal))).Sum(s => s.Value);
}
