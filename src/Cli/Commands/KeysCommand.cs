using System.CommandLine;
using System.Text.Json;

namespace Platform.Cli.Commands;

/// <summary><c>keys issue|list|revoke|revoke-all</c>: a tenant's API keys (admin token).</summary>
public static class KeysCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("keys", "Issue, list and revoke a tenant's API keys (admin token)");
        var tenant = new Option<string>("--tenant") { Description = "The tenant id (ten_…)", Required = true };

        var role = new Option<string>("--role") { Description = "admin, finance or read", Required = true };
        role.AcceptOnlyFromAmong("admin", "finance", "read");
        var issue = new Command("issue", "Issue a key; its secret is printed once and never again") { tenant, role };
        issue.SetAction((parse, ct) => runner.RunAsync(parse, CredentialKind.Admin, HttpMethod.Post,
            $"v1/tenants/{Uri.EscapeDataString(parse.GetValue(tenant)!)}/api_keys", new { role = parse.GetValue(role) }, ct,
            onSuccess: (result, output) =>
            {
                if (result.Json() is { } key)
                {
                    ResultPrinter.PrintObject(key, output);
                    if (key.TryGetProperty("secret", out var secret) && secret.ValueKind == JsonValueKind.String && output != TextWriter.Null)
                    {
                        output.WriteLine();
                        output.WriteLine("Store the secret now: the API never shows it again.");
                    }
                }
                return ExitCodes.Ok;
            }));

        var list = new Command("list", "List a tenant's keys (hints only, no secrets)") { tenant };
        list.SetAction((parse, ct) => runner.RunAsync(parse, CredentialKind.Admin, HttpMethod.Get,
            $"v1/tenants/{Uri.EscapeDataString(parse.GetValue(tenant)!)}/api_keys", null, ct));

        var key = new Option<string>("--key") { Description = "The key id (key_…), not the secret", Required = true };
        var revoke = new Command("revoke", "Revoke a key; it stops working at once on every API host") { tenant, key };
        revoke.SetAction((parse, ct) => runner.RunAsync(parse, CredentialKind.Admin, HttpMethod.Delete,
            $"v1/tenants/{Uri.EscapeDataString(parse.GetValue(tenant)!)}/api_keys/{Uri.EscapeDataString(parse.GetValue(key)!)}", null, ct));

        var issuedBefore = new Option<string?>("--issued-before")
        {
            Description = "Only keys issued before this: Unix seconds or an ISO 8601 date/time (UTC if no offset); default every live key",
        };
        var revokeAll = new Command("revoke-all",
            "Incident step: revoke every API key of the tenant and every key of its customers, on every API host at once") { tenant, issuedBefore };
        revokeAll.SetAction(async (parse, ct) =>
        {
            long? before = null;
            if (parse.GetValue(issuedBefore) is { } value)
            {
                if (UsageCommand.ToUnixSeconds(value) is not { } seconds)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync("error: --issued-before must be Unix seconds or an ISO 8601 date/time.");
                    return ExitCodes.Usage;
                }
                before = seconds;
            }
            return await runner.RunAsync(parse, CredentialKind.Admin, HttpMethod.Post,
                $"v1/tenants/{Uri.EscapeDataString(parse.GetValue(tenant)!)}/revoke_keys", new { issued_before = before }, ct);
        });

        command.Subcommands.Add(issue);
        command.Subcommands.Add(list);
        command.Subcommands.Add(revoke);
        command.Subcommands.Add(revokeAll);
        return command;
    }
}
