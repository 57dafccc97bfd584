using System.Globalization;

namespace Platform.Bench.Chaos;

/// <summary>The printed report: per phase, every request kind's count and statuses; then the checks.</summary>
public static class Summary
{
    public static void Print(ChaosSettings settings, DateTimeOffset started, IReadOnlyList<Outcome> outcomes, Verdict verdict)
    {
        var output = Console.Out;
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"== chaos run ({(settings.Short ? "--short" : "full")}), {started:yyyy-MM-dd HH:mm} UTC, {(DateTimeOffset.UtcNow - started).TotalMinutes:0.0} min, {Environment.ProcessorCount} cores"));
        output.WriteLine("requests per phase (kind: sent, 2xx, errors by status):");
        foreach (var phase in outcomes.GroupBy(o => o.Phase))
        {
            var cells = phase.GroupBy(o => o.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(kind =>
            {
                var errors = kind.Where(o => !o.Succeeded).GroupBy(o => o.StatusLabel).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => $"{g.Key}×{g.Count()}");
                var errorText = string.Join(" ", errors);
                return $"{kind.Key} {kind.Count()}/{kind.Count(o => o.Succeeded)}{(errorText.Length > 0 ? " [" + errorText + "]" : "")}";
            });
            output.WriteLine($"  {phase.Key,-12} {string.Join("; ", cells)}");
        }
        foreach (var line in verdict.Lines)
        {
            output.WriteLine(line);
        }
        output.WriteLine(verdict.Failures.Count == 0 ? "RESULT: PASS (every invariant held)" : $"RESULT: FAIL ({verdict.Failures.Count})");
        foreach (var failure in verdict.Failures)
        {
            output.WriteLine("  - " + failure);
        }
    }
}
