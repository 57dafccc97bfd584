using System.CommandLine;

namespace Platform.Cli.Commands;

/// <summary><c>blocklist add|remove|list</c>: client addresses and ranges every API host refuses before authentication (admin token).</summary>
public static class BlocklistCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("blocklist", "Block and unblock client addresses or CIDR ranges on every API host (admin token)");
        var address = new Option<string>("--address") { Description = "An IP address or a CIDR range (203.0.113.0/24)", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit log (no personal data)" };

        var add = new Command("add", "Block: refused with 403 address_blocked on every API host once this returns") { address, reason };
        add.SetAction((parse, ct) => runner.RunAsync(parse, CredentialKind.Admin, HttpMethod.Post, "v1/blocked_addresses",
            new { address = parse.GetValue(address), reason = parse.GetValue(reason) }, ct));

        var remove = new Command("remove", "Unblock an address or range exactly as it was blocked") { address };
        remove.SetAction((parse, ct) => runner.RunAsync(parse, CredentialKind.Admin, HttpMethod.Delete,
            "v1/blocked_addresses" + Arguments.Query(("address", parse.GetValue(address))), null, ct));

        var list = new Command("list", "The blocked addresses and ranges");
        list.SetAction((parse, ct) => runner.RunAsync(parse, CredentialKind.Admin, HttpMethod.Get, "v1/blocked_addresses", null, ct));

        command.Subcommands.Add(add);
        command.Subcommands.Add(remove);
        command.Subcommands.Add(list);
        return command;
    }
}
