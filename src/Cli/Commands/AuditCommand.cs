using System.CommandLine;
using System.Text.Json;

namespace Platform.Cli.Commands;

/// <summary><c>audit verify</c>: recompute the tenant's audit hash chain on the server (tenant admin key).</summary>
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
        return command;
    }
}
