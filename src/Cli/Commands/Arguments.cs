using System.CommandLine;

namespace Platform.Cli.Commands;

/// <summary>Options several commands share, and turning option values into query strings and bodies.</summary>
public static class Arguments
{
    public static (Option<int?> Limit, Option<string?> StartingAfter) Paging() =>
        (new Option<int?>("--limit") { Description = "1 to 100 (default 10)" },
         new Option<string?>("--starting-after") { Description = "The last id of the previous page" });

    public static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => !string.IsNullOrEmpty(p.Value))
            .Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}")
            .ToList();
        return present.Count == 0 ? "" : "?" + string.Join("&", present);
    }

    /// <summary><c>key=value</c> pairs; null when none were given. A pair without '=' is a usage error.</summary>
    public static Dictionary<string, string>? KeyValues(string[]? pairs)
    {
        if (pairs is not { Length: > 0 })
        {
            return null;
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new ArgumentException($"'{pair}' is not key=value.");
            }
            result[pair[..at]] = pair[(at + 1)..];
        }
        return result;
    }
}
