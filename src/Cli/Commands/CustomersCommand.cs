using System.CommandLine;

namespace Platform.Cli.Commands;

/// <summary><c>customers create|list|get|export|erase</c>: a tenant's customers (tenant key; export and erase need an admin key).</summary>
public static class CustomersCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("customers", "Create, list and show customers (tenant key)");

        var email = new Option<string?>("--email") { Description = "The customer's email address" };
        var name = new Option<string?>("--name") { Description = "The customer's name" };
        var description = new Option<string?>("--description") { Description = "Free text" };
        var metadata = new Option<string[]>("--metadata") { Description = "key=value, repeatable" };
        var idempotencyKey = new Option<string?>("--idempotency-key") { Description = "Makes a retried create return the same customer" };
        var create = new Command("create", "Create a customer") { email, name, description, metadata, idempotencyKey };
        create.SetAction((parse, ct) =>
        {
            var body = new Dictionary<string, object?>();
            Put(body, "email", parse.GetValue(email));
            Put(body, "name", parse.GetValue(name));
            Put(body, "description", parse.GetValue(description));
            if (Arguments.KeyValues(parse.GetValue(metadata)) is { } pairs)
            {
                body["metadata"] = pairs;
            }
            return runner.RunAsync(parse, CredentialKind.Tenant, HttpMethod.Post, "v1/customers", body, ct, parse.GetValue(idempotencyKey));
        });

        var (limit, startingAfter) = Arguments.Paging();
        var list = new Command("list", "List customers, newest first") { limit, startingAfter };
        list.SetAction((parse, ct) => runner.RunAsync(parse, CredentialKind.Tenant, HttpMethod.Get,
            "v1/customers" + Arguments.Query(("limit", parse.GetValue(limit)?.ToString()), ("starting_after", parse.GetValue(startingAfter))), null, ct));

        var id = new Argument<string>("id") { Description = "The customer id (cus_…)" };
        var get = new Command("get", "Show one customer") { id };
        get.SetAction((parse, ct) => runner.RunAsync(parse, CredentialKind.Tenant, HttpMethod.Get,
            "v1/customers/" + Uri.EscapeDataString(parse.GetValue(id)!), null, ct));

        var export = new Command("export", "Everything held about a customer, as one JSON document (tenant admin key; audited)") { id };
        export.SetAction((parse, ct) => runner.RunAsync(parse, CredentialKind.Tenant, HttpMethod.Get,
            "v1/customers/" + Uri.EscapeDataString(parse.GetValue(id)!) + "/export", null, ct));

        var erase = new Command("erase", "Erase a customer's personal data, keeping financial records (tenant admin key; audited, idempotent)") { id };
        erase.SetAction((parse, ct) => runner.RunAsync(parse, CredentialKind.Tenant, HttpMethod.Post,
            "v1/customers/" + Uri.EscapeDataString(parse.GetValue(id)!) + "/erase", null, ct));

        command.Subcommands.Add(create);
        command.Subcommands.Add(list);
        command.Subcommands.Add(get);
        command.Subcommands.Add(export);
        command.Subcommands.Add(erase);
        return command;
    }

    private static void Put(Dictionary<string, object?> body, string field, string? value)
    {
        if (value is not null)
        {
            body[field] = value;
        }
    }
}
