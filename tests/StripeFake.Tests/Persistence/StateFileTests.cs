using Stripe;
using Stripe.Checkout;

namespace Platform.StripeFake.Tests.Persistence;

/// <summary>The fake restarted on the same state file keeps what it acknowledged (its own servers, not the shared fixture).</summary>
public sealed class StateFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("stripe-fake-state-").FullName;

    private string StatePath => Path.Combine(_directory, "nested", "state.json");

    [Fact]
    public async Task Restart_SameStateFile_KeepsObjectsPaymentsCheckoutAndIdempotency()
    {
        var customerKey = Guid.NewGuid().ToString();
        var customerOptions = new CustomerCreateOptions { Email = "saved@example.com", Name = "Saved" };
        Customer customer;
        PaymentMethod card;
        PaymentIntent pending;
        Subscription subscription;
        Session session;
        string eventId;
        await using (var before = await StartAsync())
        {
            var client = StripeFakeFixture.CreateClient(before);
            customer = await client.V1.Customers.CreateAsync(customerOptions, new RequestOptions { IdempotencyKey = customerKey });
            card = await client.V1.PaymentMethods.AttachAsync("pm_card_visa", new PaymentMethodAttachOptions { Customer = customer.Id });
            await client.V1.Customers.UpdateAsync(customer.Id, new CustomerUpdateOptions
            {
                InvoiceSettings = new CustomerInvoiceSettingsOptions { DefaultPaymentMethod = card.Id },
            });
            pending = await client.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions { Amount = 700, Currency = "usd", Customer = customer.Id });
            subscription = await client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions
            {
                Customer = customer.Id,
                Items = [new SubscriptionItemOptions { Price = "price_basic" }],
            });
            session = await client.V1.Checkout.Sessions.CreateAsync(new SessionCreateOptions
            {
                Mode = "setup",
                Customer = customer.Id,
                Currency = "usd",
                SuccessUrl = "https://app.example.com/done",
            });
            eventId = (string)before.Webhooks.Events[^1]["id"]!;
        }

        await using var after = await StartAsync();
        var restarted = StripeFakeFixture.CreateClient(after);
        var replayed = await restarted.V1.Customers.CreateAsync(customerOptions, new RequestOptions { IdempotencyKey = customerKey });
        var savedCards = await restarted.V1.Customers.PaymentMethods.ListAsync(customer.Id);
        var offSession = await restarted.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions
        {
            Amount = 1_250,
            Currency = "usd",
            Customer = customer.Id,
            PaymentMethod = card.Id,
            Confirm = true,
            OffSession = true,
        });
        var confirmed = await restarted.V1.PaymentIntents.ConfirmAsync(pending.Id, new PaymentIntentConfirmOptions { PaymentMethod = card.Id });
        after.CompleteCheckoutSession(session.Id);
        var completed = await restarted.V1.Checkout.Sessions.GetAsync(session.Id);
        after.EndSubscriptionPeriod(subscription.Id);
        var renewed = await restarted.V1.Subscriptions.GetAsync(subscription.Id);
        var savedEvent = await restarted.V1.Events.GetAsync(eventId);

        Assert.Equal(customer.Id, replayed.Id);
        Assert.Equal("true", replayed.StripeResponse.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, after.State.CountCreated("customer", customerKey));
        Assert.Equal(card.Id, Assert.Single(savedCards.Data).Id);
        Assert.Equal("succeeded", offSession.Status);
        Assert.Equal("succeeded", confirmed.Status);
        Assert.Equal("complete", completed.Status);
        Assert.NotNull(completed.SetupIntentId);
        Assert.Equal(subscription.Items.Data[0].CurrentPeriodEnd, renewed.Items.Data[0].CurrentPeriodStart);
        Assert.Equal(2, (await restarted.V1.Invoices.ListAsync(new InvoiceListOptions { Subscription = subscription.Id })).Data.Count);
        Assert.Equal(eventId, savedEvent.Id);
        Assert.False(System.IO.File.Exists(StatePath + ".tmp"));
        Assert.DoesNotContain(StripeFakeFixture.ApiKey, await System.IO.File.ReadAllTextAsync(StatePath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_AfterEveryAcknowledgedWrite_FindsIt()
    {
        var ids = new List<string>();
        await using (var before = await StartAsync())
        {
            var client = StripeFakeFixture.CreateClient(before);
            await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
            {
                var created = await client.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = $"c{i}@example.com" });
                lock (ids)
                {
                    ids.Add(created.Id);
                }
            }));

            // Read the file while the fake still runs: every acknowledged customer is already on disk.
            var onDisk = await System.IO.File.ReadAllTextAsync(StatePath);
            Assert.All(ids, id => Assert.Contains(id, onDisk, StringComparison.Ordinal));
        }

        await using var after = await StartAsync();
        var listed = await StripeFakeFixture.CreateClient(after).V1.Customers.ListAsync(new CustomerListOptions { Limit = 100 });

        Assert.Equal(ids.Order(), listed.Data.Select(c => c.Id).Order());
    }

    [Fact]
    public async Task Restart_AfterInProcessControlCall_KeepsItsEffect()
    {
        string sessionId;
        await using (var before = await StartAsync())
        {
            var client = StripeFakeFixture.CreateClient(before);
            var customer = await client.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = "control@example.com" });
            sessionId = (await client.V1.Checkout.Sessions.CreateAsync(new SessionCreateOptions
            {
                Mode = "setup",
                Customer = customer.Id,
                Currency = "usd",
                SuccessUrl = "https://app.example.com/done",
            })).Id;
            before.CompleteCheckoutSession(sessionId);
        }

        await using var after = await StartAsync();
        var session = await StripeFakeFixture.CreateClient(after).V1.Checkout.Sessions.GetAsync(sessionId);

        Assert.Equal("complete", session.Status);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Task<StripeFakeServer> StartAsync() =>
        StripeFakeServer.StartAsync(new StripeFakeOptions { ApiKey = StripeFakeFixture.ApiKey, StateFile = StatePath });
}
