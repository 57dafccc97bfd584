using System.CommandLine;

namespace Platform.Cli.Commands;

/// <summary><c>data-keys rotate|status</c>: the existing data key rotation (docs/DATA-PROTECTION.md) from a shell (admin token).</summary>
public static class DataKeysCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("data-keys", "Rewrap every data key with the current Platform:DataKey (admin token)");
        var rotate = new Command("rotate", "Start the re-encryption job (after deploying the new key to the silos); audited");
        rotate.SetAction((parse, ct) => runner.RunAsync(parse, CredentialKind.Admin, HttpMethod.Post, "v1/data_keys/rotation", null, ct));
        var status = new Command("status", "The job's progress: data keys per wrapping key id");
        status.SetAction((parse, ct) => runner.RunAsync(parse, CredentialKind.Admin, HttpMethod.Get, "v1/data_keys/rotation", null, ct));
        command.Subcommands.Add(rotate);
        command.Subcommands.Add(status);
        return command;
    }
}
