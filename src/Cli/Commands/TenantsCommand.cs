using System.CommandLine;

namespace Platform.Cli.Commands;

/// <summary><c>tenants create|list|get</c>: the platform operator's view of tenants (admin token).</summary>
public static class TenantsCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("tenants", "Create, list and show tenants (admin token)");

        var name = new Option<string>("--name") { Description = "The tenant's name", Required = true };
        var metadata = new Option<string[]>("--metadata") { Description = "key=value, repeatable", AllowMultipleArgumentsPerToken = false };
        var idempotencyKey = new Option<string?>("--idempotency-key") { Description = "Makes a retried create return the same tenant" };
        var create = new Command("create", "Create a tenant") { name, metadata, idempotencyKey };
        create.SetAction((parse, ct) =>
        {
            var body = new Dictionary<string, object?> { ["name"] = parse.GetValue(name) };
            if (Arguments.KeyValues(parse.GetValue(metadata)) is { } pairs)
            {
                body["metadata"] = pairs;
            }
            return runner.RunAsync(parse, CredentialKind.Admin, HttpMethod.Post, "v1/tenants", body, ct, parse.GetValue(idempotencyKey));
        });

        var (limit, startingAfter) = Arguments.Paging();
        var list = new Command("list", "List tenants, newest first") { limit, startingAfter };
        list.SetAction((parse, ct) => runner.RunAsync(parse, CredentialKind.Admin, HttpMethod.Get,
            "v1/tenants" + Arguments.Query(("limit", parse.GetValue(limit)?.ToString()), ("starting_after", parse.GetValue(startingAfter))), null, ct));

        var id = new Argument<string>("id") { Description = "The tenant id (ten_…)" };
        var get = new Command("get", "Show one tenant") { id };
        get.SetAction((parse, ct) => runner.RunAsync(parse, CredentialKind.Admin, HttpMethod.Get,
            "v1/tenants/" + Uri.EscapeDataString(parse.GetValue(id)!), null, ct));

        command.Subcommands.Add(create);
        command.Subcommands.Add(list);
        command.Subcommands.Add(get);
        return command;
    }
}
