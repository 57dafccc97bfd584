using System.CommandLine;
using System.Globalization;

namespace Platform.Cli.Commands;

/// <summary><c>usage report|cleanup</c>: report a usage event (tenant key); delete old usage log rows (admin token).</summary>
public static class UsageCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("usage", "Report usage and run the usage-log retention clean-up");

        var customer = new Option<string>("--customer") { Description = "The customer id (cus_…)", Required = true };
        var metric = new Option<string>("--metric") { Description = "The metric, e.g. api_calls", Required = true };
        var quantity = new Option<long>("--quantity") { Description = "How much (default 1)", DefaultValueFactory = _ => 1 };
        var eventId = new Option<string?>("--event-id") { Description = "Your id for the event; a retry with the same id never counts twice (default: a new one)" };
        var timestamp = new Option<string?>("--timestamp") { Description = "When it happened, Unix seconds (default: now, by the server)" };
        var report = new Command("report", "Report one usage event (tenant key)") { customer, metric, quantity, eventId, timestamp };
        report.SetAction((parse, ct) =>
        {
            var body = new Dictionary<string, object?>
            {
                ["event_id"] = parse.GetValue(eventId) ?? NewEventId(),
                ["customer"] = parse.GetValue(customer),
                ["metric"] = parse.GetValue(metric),
                ["quantity"] = parse.GetValue(quantity),
            };
            if (parse.GetValue(timestamp) is { } at)
            {
                body["timestamp"] = long.TryParse(at, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : at;
            }
            return runner.RunAsync(parse, CredentialKind.Tenant, HttpMethod.Post, "v1/usage_events", body, ct);
        });

        var before = new Option<string>("--before")
        {
            Description = "Delete log rows older than this: Unix seconds or an ISO 8601 date/time (UTC if no offset)",
            Required = true,
        };
        var cleanup = new Command("cleanup", "Delete usage log rows older than --before (admin token; the server keeps its minimum retention)") { before };
        cleanup.Aliases.Add("clean-up");
        cleanup.SetAction(async (parse, ct) =>
        {
            if (ToUnixSeconds(parse.GetValue(before)!) is not { } seconds)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("error: --before must be Unix seconds or an ISO 8601 date/time.");
                return ExitCodes.Usage;
            }
            return await runner.RunAsync(parse, CredentialKind.Admin, HttpMethod.Delete,
                "v1/usage_events" + Arguments.Query(("before", seconds.ToString(CultureInfo.InvariantCulture))), null, ct);
        });

        command.Subcommands.Add(report);
        command.Subcommands.Add(cleanup);
        return command;
    }

    /// <summary>Random and letter-rich: a long digit run would look like a card number to the API's guard.</summary>
    private static string NewEventId() =>
        "cli_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(15)).Replace('+', 'A').Replace('/', 'B');

    public static long? ToUnixSeconds(string value)
    {
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds;
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUnixTimeSeconds()
            : null;
    }
}
