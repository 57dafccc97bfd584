using System.CommandLine;
using System.Text.Json;

namespace Platform.Cli.Commands;

/// <summary><c>audit verify</c>: recompute the tenant's audit hash chain on the server (tenant admin key);
/// <c>audit export</c>: the audit trail of a time window as JSON lines (admin token).</summary>
public static class AuditCommand
{
    /// <summary>Field names a verification answer may use for its verdict; false means a broken chain.</summary>
    private static readonly string[] VerdictFields = ["valid", "intact", "ok", "verified"];

    public static Command Create(CommandRunner runner)
    {
        var command = new Command("audit", "The tamper-evident audit log (tenant admin key)");
        var verify = new Command("verify", "Recompute the audit chain; exit code 5 when a link is broken");
        verify.SetAction((parse, ct) => runner.RunAsync(parse, CredentialKind.Tenant, HttpMethod.Get, "v1/audit_events/verify", null, ct,
            onSuccess: (result, output) =>
            {
                if (result.Json() is not { ValueKind: JsonValueKind.Object } answer)
                {
                    output.WriteLine(result.Body);
                    return ExitCodes.Ok;
                }
                ResultPrinter.PrintObject(answer, output);
                var broken = VerdictFields.Any(f => answer.TryGetProperty(f, out var v) && v.ValueKind == JsonValueKind.False);
                if (broken)
                {
                    output.WriteLine("The audit chain is BROKEN (see the fields above for the first bad link).");
                }
                return broken ? ExitCodes.VerificationFailed : ExitCodes.Ok;
            }));
        command.Subcommands.Add(verify);
        command.Subcommands.Add(Export(runner));
        return command;
    }

    private static Command Export(CommandRunner runner)
    {
        var since = new Option<string>("--since") { Description = "From (inclusive): Unix seconds or ISO 8601 (UTC if no offset)", Required = true };
        var until = new Option<string?>("--until") { Description = "To (exclusive); default now and beyond" };
        var tenant = new Option<string?>("--tenant") { Description = "One chain (ten_… or platform); default every chain" };
        var output = new Option<string?>("--output") { Description = "Write the JSON lines to this file instead of stdout" };
        var export = new Command("export", "Incident step: every audit entry of a time window, oldest first, one JSON object a line (the export is audited)")
        {
            since, until, tenant, output,
        };
        export.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var from = UsageCommand.ToUnixSeconds(parse.GetValue(since)!);
            var to = parse.GetValue(until) is { } u ? UsageCommand.ToUnixSeconds(u) : null;
            if (from is null || (parse.GetValue(until) is not null && to is null))
            {
                await error.WriteLineAsync("error: --since and --until must be Unix seconds or ISO 8601 date/times.");
                return ExitCodes.Usage;
            }
            var file = parse.GetValue(output);
            await using var fileWriter = file is null ? null : new StreamWriter(file, append: false);
            var lines = fileWriter ?? parse.InvocationConfiguration.Output;
            string? after = null;
            var count = 0;
            while (true)
            {
                var more = false;
                var query = Arguments.Query(("since", from.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    ("until", to?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("tenant", parse.GetValue(tenant)),
                    ("limit", "1000"), ("starting_after", after));
                var exit = await runner.RunAsync(parse, CredentialKind.Admin, HttpMethod.Get, "v1/audit_events/export" + query, null, ct,
                    onSuccess: (result, _) =>
                    {
                        if (result.Json() is not { ValueKind: JsonValueKind.Object } page)
                        {
                            return ExitCodes.ServerError;
                        }
                        foreach (var entry in page.GetProperty("data").EnumerateArray())
                        {
                            lines.WriteLine(entry.GetRawText());
                            after = entry.GetProperty("id").GetString();
                            count++;
                        }
                        more = page.GetProperty("has_more").GetBoolean();
                        return ExitCodes.Ok;
                    });
                if (exit != ExitCodes.Ok)
                {
                    return exit;
                }
                if (!more)
                {
                    break;
                }
            }
            await lines.FlushAsync(ct);
            if (file is not null)
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync($"{count} audit entries written to {file}");
            }
            return ExitCodes.Ok;
        });
        return export;
    }
}
