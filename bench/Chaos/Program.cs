using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Bench.Chaos;

// The chaos runner (issue 9); bench/chaos.sh [--short] starts PostgreSQL and runs it. Exit 0 when every invariant held.
return await Program.RunAsync(args);

internal static partial class Program
{
    public const string DatabaseOutagePhase = "db-outage";

    public static async Task<int> RunAsync(string[] args)
    {
        var settings = args.Contains("--short") ? ChaosSettings.ShortForm : ChaosSettings.Full;
        string Env(string name) => Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set (run bench/chaos.sh)");
        var root = Env("CHAOS_ROOT");
        var work = Env("CHAOS_WORK");
        var configuration = Environment.GetEnvironmentVariable("CHAOS_CONFIGURATION") ?? "Release";
        var postgres = new PostgresControl(root, Env("CHAOS_PG_DATA"), int.Parse(Env("CHAOS_PG_PORT"), CultureInfo.InvariantCulture), Env("CHAOS_PG_PASSWORD_FILE"));
        var log = new OutcomeLog();
        var runId = "chaos" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var started = DateTimeOffset.UtcNow;

        await using var stack = new Stack(root, configuration, work, postgres.ConnectionString);
        Console.Error.WriteLine($"starting the stack ({(settings.Short ? "short" : "full")} run; logs in {work})...");
        await stack.StartAsync(CancellationToken.None);

        var (tenantId, secret) = await CreateTenantAsync(stack);
        var callers = stack.Apis.Select(a => new ApiCaller(a.Name, stack.ApiUrls[a.Name], secret, log)).ToArray();
        var customers = new List<(string Customer, string PaymentMethod)>();
        for (var i = 0; i < 8; i++)
        {
            customers.Add(await CreateCustomerAsync(callers[i % 2], i));
        }
        var customerIds = customers.Select(c => c.Customer).ToArray();
        var (invoiceTenantId, invoiceSecret) = await CreateTenantAsync(stack, "Chaos Billing");
        var invoiceCallers = stack.Apis.Select(a => new ApiCaller(a.Name, stack.ApiUrls[a.Name], invoiceSecret, log)).ToArray();
        var invoices = await CreateInvoiceTrafficAsync(invoiceCallers, invoiceTenantId, runId);

        var usage = callers.Select(c => new UsageTraffic(c, customerIds, runId)).ToArray();
        var payments = callers.Select(c => new PaymentTraffic(c, customers, runId)).ToArray();
        var timeline = new SubscriptionTimeline(tenantId, customerIds, runId, stack.WebhookSecret);
        var webhooks = callers.Select(c => new WebhookTraffic(c, timeline)).ToArray();
        using var stop = new CancellationTokenSource();
        using var hardStop = new CancellationTokenSource();
        var inFlight = new List<Task>();
        var drivers = usage.Select(u => u.RunAsync(TimeSpan.FromMilliseconds(200), inFlight, hardStop.Token, stop.Token))
            .Concat(payments.Select(p => p.RunAsync(TimeSpan.FromMilliseconds(400), inFlight, hardStop.Token, stop.Token)))
            .Concat(payments.Select(p => p.ReadAsync(TimeSpan.FromMilliseconds(500), stop.Token)))
            .Concat(webhooks.Select(w => w.RunAsync(TimeSpan.FromMilliseconds(250), inFlight, hardStop.Token, stop.Token)))
            .Concat(webhooks.Select(w => w.ReadAsync(TimeSpan.FromMilliseconds(500), stop.Token)))
            .Concat(invoices.Select(i => i.RunAsync(settings.InvoiceStep, stop.Token)))
            .ToArray();

        log.EnterPhase("baseline", isFault: false);
        await Task.Delay(settings.Baseline);
        for (var round = 1; round <= settings.CoreKillRounds; round++)
        {
            var silo = stack.CoreSilos[(round - 1) % stack.CoreSilos.Count];
            log.EnterPhase($"core-kill-{round}", isFault: true);
            var killed = DateTimeOffset.UtcNow;
            silo.Kill();
            await silo.StartAsync(CancellationToken.None);
            Console.Error.WriteLine($"  {silo.Name} SIGKILLed and restarted ({(DateTimeOffset.UtcNow - killed).TotalSeconds:0.0} s)");
            await DelayUntil(Later(killed + settings.CoreKillInterval, DateTimeOffset.UtcNow + settings.Settle));
        }
        log.EnterPhase("pci-kill", isFault: true);
        var pciKilled = DateTimeOffset.UtcNow;
        stack.PciSilo.Kill();
        await stack.PciSilo.StartAsync(CancellationToken.None);
        log.Restored["pci-kill"] = DateTimeOffset.UtcNow;
        Console.Error.WriteLine($"  {stack.PciSilo.Name} SIGKILLed and restarted ({(DateTimeOffset.UtcNow - pciKilled).TotalSeconds:0.0} s)");
        // Payments and webhooks are measured from the restart and may take up to the recovery limit after it (the API
        // hosts learn of the new silo within Orleans' gateway refresh, 10 s): leave them that long even when a busy
        // machine made the restart itself slow, so the window shows the recovery.
        await DelayUntil(Later(pciKilled + settings.AfterPciKill, DateTimeOffset.UtcNow + ChaosSettings.SiloRecoveryLimit));

        log.EnterPhase(DatabaseOutagePhase, isFault: true);
        await postgres.StopAsync();
        await Task.Delay(settings.DatabaseDown);
        await postgres.StartAsync();
        log.EnterPhase("db-restored", isFault: false);
        await Task.Delay(settings.AfterDatabase);

        log.EnterPhase("api-restart", isFault: true);
        var apiRestarted = DateTimeOffset.UtcNow;
        await stack.Apis[1].StopAsync();
        await stack.Apis[1].StartAsync(CancellationToken.None);
        Console.Error.WriteLine($"  {stack.Apis[1].Name} stopped and restarted ({(DateTimeOffset.UtcNow - apiRestarted).TotalSeconds:0.0} s)");
        await DelayUntil(Later(apiRestarted + settings.AfterApiRestart, DateTimeOffset.UtcNow + settings.Settle));
        log.EnterPhase("cooldown", isFault: false);
        await Task.Delay(settings.Cooldown);

        var trafficEnd = DateTimeOffset.UtcNow;
        log.EnterPhase("drain", isFault: false);
        await stop.CancelAsync();
        await Task.WhenAll(drivers);
        Task[] pending;
        lock (inFlight)
        {
            pending = [.. inFlight];
        }
        // Outstanding retries finish on their own (each has Retrying.Deadline); the hard stop is a safety net.
        hardStop.CancelAfter(Retrying.Deadline + TimeSpan.FromSeconds(30));
        await Task.WhenAll(pending);
        // The cluster is whole again: one more period end per clock, which also does what an interrupted advance left.
        log.EnterPhase("settle", isFault: false);
        await Task.WhenAll(invoices.Select(i => i.SettleAsync()));
        log.EnterPhase("check", isFault: false);
        foreach (var traffic in payments)
        {
            await traffic.ObserveAllAsync(CancellationToken.None);
        }

        var verdict = new Verdict();
        var checks = new Checks(postgres.ConnectionString, tenantId, stack, verdict);
        await checks.UsageAsync(usage, customerIds, callers[0]);
        await checks.PaymentsAsync(payments);
        await checks.WebhooksAsync(webhooks, timeline, settings.WebhookProcessing);
        await checks.InvoicesAsync(invoiceTenantId, invoices);
        var outcomes = log.Outcomes;
        await File.WriteAllLinesAsync(Path.Combine(work, "outcomes.csv"), outcomes.OrderBy(o => o.Start).Select(o => string.Create(CultureInfo.InvariantCulture,
            $"{o.Start:HH:mm:ss.fff},{(o.End - o.Start).TotalMilliseconds:0},{o.Phase},{o.Host},{o.Kind},{o.StatusLabel},{(o.RetryAfter ? "retry-after" : "")}")).Prepend("start,ms,phase,host,kind,status,retry_after"));
        await File.WriteAllLinesAsync(Path.Combine(work, "webhooks.csv"), timeline.Events.Values.OrderBy(e => e.EventId, StringComparer.Ordinal)
            .SelectMany(e => e.Deliveries.Select(d => $"{e.EventId},{e.CustomerId},{e.Version},{e.Status},{d.Phase},{d.Host},{d.Outcome},{d.Duplicate},{(d.Repeat ? "repeat" : "")}"))
            .Prepend("event_id,customer,version,status,phase,host,http,duplicate,repeat"));
        checks.Responses(outcomes);
        checks.Recovery(outcomes, log.Faults, log.Restored, trafficEnd);
        Summary.Print(settings, started, outcomes, verdict);
        foreach (var caller in callers.Concat(invoiceCallers))
        {
            caller.Dispose();
        }
        return verdict.Failures.Count == 0 ? 0 : 1;
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static async Task DelayUntil(DateTimeOffset when)
    {
        var wait = when - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }

    private static async Task<(string TenantId, string Secret)> CreateTenantAsync(Stack stack, string name = "Chaos")
    {
        using var admin = new HttpClient { BaseAddress = stack.ApiUrls["api-1"], Timeout = TimeSpan.FromSeconds(60) };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", stack.AdminToken);
        var tenant = await JsonAsync(await admin.PostAsJsonAsync("/v1/tenants", new { name }));
        var tenantId = tenant.GetProperty("id").GetString()!;
        var key = await JsonAsync(await admin.PostAsJsonAsync($"/v1/tenants/{tenantId}/api_keys", new { role = "admin" }));
        return (tenantId, key.GetProperty("secret").GetString()!);
    }

    private static async Task<(string Customer, string PaymentMethod)> CreateCustomerAsync(ApiCaller api, int n)
    {
        var (created, customer) = await Retrying.SendAsync(api, "setup", HttpMethod.Post, "/v1/customers", new { name = $"Chaos {n}", email = $"chaos{n}@example.com" }, null, CancellationToken.None);
        var customerId = Require(created, customer).GetProperty("id").GetString()!;
        var (attached, method) = await Retrying.SendAsync(api, "setup", HttpMethod.Post, "/v1/payment_methods/pm_card_visa/attach", new { customer = customerId }, null, CancellationToken.None);
        return (customerId, Require(attached, method).GetProperty("id").GetString()!);
    }

    /// <summary>
    /// The billing tenant (numbers CHAOS-000001…): the daily plan (flat 1,500 and graduated api_calls, as
    /// InvoiceCollectionTests; Checks prices it in SQL), and one test clock per API host with three subscribed customers.
    /// </summary>
    private static async Task<InvoiceTraffic[]> CreateInvoiceTrafficAsync(ApiCaller[] callers, string tenantId, string runId)
    {
        await InvoiceTraffic.SetupAsync(callers[0], $"/v1/tenants/{tenantId}/invoice_settings", new { number_prefix = "CHAOS" });
        var plan = (await InvoiceTraffic.SetupAsync(callers[0], "/v1/plans", new
        {
            code = "daily",
            interval = "day",
            currency = "usd",
            amount = 1500,
            usage_charges = new object[]
            {
                new
                {
                    metric = "api_calls", pricing_model = "graduated",
                    tiers = new object[] { new { up_to = 100, unit_amount = 10 }, new { up_to = 1000, unit_amount = 5 }, new { unit_amount = 2 } },
                },
            },
        })).GetProperty("id").GetString()!;
        var traffic = new InvoiceTraffic[callers.Length];
        for (var i = 0; i < callers.Length; i++)
        {
            traffic[i] = await InvoiceTraffic.CreateAsync(callers[i], plan, customers: 3, i, runId);
        }
        return traffic;
    }

    private static JsonElement Require(Outcome outcome, JsonElement? body) =>
        outcome.Succeeded && body is { } json ? json : throw new InvalidOperationException($"setup request failed: {outcome.StatusLabel} {body}");

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new InvalidOperationException($"setup request failed: {(int)response.StatusCode} {text}");
    }
}
