using System.CommandLine;
using Platform.Cli.Commands;

namespace Platform.Cli;

/// <summary>
/// The operator CLI: the Platform's API from a shell. Every command is one HTTP call; nothing here knows
/// more than the API says, so the CLI works against any server version and says so when a route is missing.
/// </summary>
public static class PlatformCli
{
    public static RootCommand Build(HttpMessageHandler? handler = null)
    {
        var options = new GlobalOptions();
        var runner = new CommandRunner(options, handler);
        var root = new RootCommand("Operate the Platform over its API.\n\n" + ExitCodes.HelpText)
        {
            options.ApiUrl,
            options.Token,
            options.Json,
        };
        root.Subcommands.Add(TenantsCommand.Create(runner));
        root.Subcommands.Add(KeysCommand.Create(runner));
        root.Subcommands.Add(CustomersCommand.Create(runner));
        root.Subcommands.Add(UsageCommand.Create(runner));
        root.Subcommands.Add(WebhookEventsCommand.Create(runner));
        root.Subcommands.Add(AuditCommand.Create(runner));
        root.Subcommands.Add(ComplianceCommand.Create(runner));
        root.Subcommands.Add(BlocklistCommand.Create(runner));
        root.Subcommands.Add(DataKeysCommand.Create(runner));
        return root;
    }

    /// <summary>Runs one command line with the given output writers (the console, or a test's).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, HttpMessageHandler? handler = null,
        CancellationToken cancellationToken = default)
    {
        var parse = Build(handler).Parse(args);
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (ArgumentException exception)
        {
            await error.WriteLineAsync("error: " + exception.Message);
            return ExitCodes.Usage;
        }
    }
}
