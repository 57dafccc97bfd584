using System.CommandLine;

namespace Platform.Cli.Commands;

/// <summary><c>webhook-events list|replay</c>: Stripe events the platform received (admin token).</summary>
public static class WebhookEventsCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("webhook-events", "List and replay received Stripe webhook events (admin token)");

        var status = new Option<string?>("--status") { Description = "Only events in this state, e.g. pending, processed, failed" };
        var (limit, startingAfter) = Arguments.Paging();
        var list = new Command("list", "List received events, newest first") { status, limit, startingAfter };
        list.SetAction((parse, ct) => runner.RunAsync(parse, CredentialKind.Admin, HttpMethod.Get,
            "v1/webhook_events" + Arguments.Query(("status", parse.GetValue(status)), ("limit", parse.GetValue(limit)?.ToString()),
                ("starting_after", parse.GetValue(startingAfter))), null, ct));

        var id = new Argument<string>("id") { Description = "The event id (evt_…)" };
        var replay = new Command("replay", "Apply a received event again (safe: applying is idempotent)") { id };
        replay.SetAction((parse, ct) => runner.RunAsync(parse, CredentialKind.Admin, HttpMethod.Post,
            $"v1/webhook_events/{Uri.EscapeDataString(parse.GetValue(id)!)}/replay", new { }, ct));

        command.Subcommands.Add(list);
        command.Subcommands.Add(replay);
        return command;
    }
}
