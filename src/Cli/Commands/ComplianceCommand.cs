using System.CommandLine;
using System.Text.Json;

namespace Platform.Cli.Commands;

/// <summary><c>compliance report</c>: the PCI self-assessment of the running cluster (admin token).</summary>
public static class ComplianceCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("compliance", "The PCI self-assessment (admin token)");
        var report = new Command("report", "Check the running cluster per PCI control; exit code 5 when a check fails");
        report.SetAction((parse, ct) => runner.RunAsync(parse, CredentialKind.Admin, HttpMethod.Get, "v1/compliance/report", null, ct,
            onSuccess: (result, output) =>
            {
                if (result.Json() is not { ValueKind: JsonValueKind.Object } answer || !answer.TryGetProperty("checks", out var checks))
                {
                    output.WriteLine(result.Body);
                    return ExitCodes.Ok;
                }
                foreach (var check in checks.EnumerateArray())
                {
                    output.WriteLine($"{check.GetProperty("status").GetString(),-15} {check.GetProperty("id").GetString(),-34} {check.GetProperty("evidence").GetString()}");
                }
                var failed = answer.TryGetProperty("status", out var status) && status.GetString() == "fail";
                output.WriteLine(failed ? "The cluster FAILS at least one control." : "Every control passes (or does not apply).");
                return failed ? ExitCodes.VerificationFailed : ExitCodes.Ok;
            }));
        command.Subcommands.Add(report);
        return command;
    }
}
