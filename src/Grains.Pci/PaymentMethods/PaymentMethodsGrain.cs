using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Interfaces.Pci;
using Platform.Grains.Interfaces.StripeWebhooks;
using Platform.Grains.Pci.Outbound;
using Stripe;

namespace Platform.Grains.Pci.PaymentMethods;

/// <summary>
/// A customer's Stripe customer and saved cards. The Stripe customer is created lazily and exactly once:
/// this grain's turns run one at a time, the id is persisted before any use, and the create call's
/// idempotency key derives from our ids, so even a crash between Stripe's answer and our write replays
/// the same customer.
/// </summary>
[Pci]
public sealed partial class PaymentMethodsGrain(
    [PersistentState(PaymentMethodsGrain.StateName, GrainStorageNames.Platform)] IPersistentState<PaymentMethodsState> methods,
    StripeGateway stripe,
    TimeProvider clock) : Grain, IPaymentMethodsGrain, IPaymentMethodsCheckout
{
    public const string StateName = "payment_methods";

    private (string TenantId, string CustomerId) Ids => PlatformIds.ParseCustomerKey(this.GetPrimaryKeyString());

    public async Task<SetupIntentSnapshot> CreateSetupIntentAsync(string requestKey)
    {
        using var deadline = stripe.Deadline();
        var (tenantId, customerId) = Ids;
        var stripeCustomerId = await EnsureCustomerAsync(deadline.Token);
        var intent = await stripe.SendAsync((client, ct) => client.V1.SetupIntents.CreateAsync(new SetupIntentCreateOptions
        {
            Customer = stripeCustomerId,
            Usage = "off_session",
            AutomaticPaymentMethods = new SetupIntentAutomaticPaymentMethodsOptions { Enabled = true, AllowRedirects = "never" },
            Metadata = StripeMetadata.For(tenantId, customerId),
        }, StripeGateway.Idempotent(StripeIdempotencyKeys.For("setup_intent", tenantId, customerId, requestKey)), ct), deadline.Token);
        if (!methods.State.SetupIntentIds.Contains(intent.Id))
        {
            methods.State.SetupIntentIds.Add(intent.Id);
            await methods.WriteStateAsync();
        }
        return new SetupIntentSnapshot(intent.Id, customerId, intent.ClientSecret, intent.Status, StripeGateway.Time(intent.Created));
    }

    private ICustomerGrain Customer => GrainFactory.GetGrain<ICustomerGrain>(this.GetPrimaryKeyString());

    public async Task<PaymentMethodSnapshot> AttachAsync(string paymentMethodId)
    {
        using var deadline = stripe.Deadline();
        var (tenantId, customerId) = Ids;
        var stripeCustomerId = await EnsureCustomerAsync(deadline.Token);
        var version = methods.State.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        PaymentMethod attached;
        try
        {
            attached = await stripe.SendAsync((client, ct) => client.V1.PaymentMethods.AttachAsync(paymentMethodId,
                new PaymentMethodAttachOptions { Customer = stripeCustomerId },
                StripeGateway.Idempotent(StripeIdempotencyKeys.For("attach", tenantId, customerId, paymentMethodId, version)), ct), deadline.Token);
        }
        catch (PlatformException refusal) when (refusal.Kind == PlatformErrorKind.NotFound || refusal.Code == "payment_method_unexpected_state")
        {
            // Unknown, and attached to someone else (another customer, another tenant), answer alike: a
            // different answer would tell a caller that the pm_… exists elsewhere.
            throw NoSuchPaymentMethod();
        }
        // Payment methods are created by Stripe.js, not by us; tag them on attach like every object we own.
        attached = await stripe.SendAsync((client, ct) => client.V1.PaymentMethods.UpdateAsync(attached.Id,
            new PaymentMethodUpdateOptions { Metadata = StripeMetadata.For(tenantId, customerId) },
            StripeGateway.Idempotent(StripeIdempotencyKeys.For("tag_payment_method", tenantId, customerId, attached.Id)), ct), deadline.Token);
        if (!methods.State.AttachedPaymentMethodIds.Contains(attached.Id))
        {
            methods.State.AttachedPaymentMethodIds.Add(attached.Id);
        }
        // payment_method.detached names no customer: the event finds us by the method's id.
        await GrainFactory.GetGrain<IResourceIndexGrain>(0).AddStripeObjectAsync(attached.Id, this.GetPrimaryKeyString(), clock.GetUtcNow());
        methods.State.Version++;
        await methods.WriteStateAsync();
        // As at Stripe's invoices: the first method a customer attaches becomes its default.
        await Customer.SetDefaultPaymentMethodAsync(attached.Id, onlyIfUnset: true);
        return Snapshot(attached, customerId, stripeCustomerId);
    }

    public async Task<PaymentMethodSnapshot> DetachAsync(string paymentMethodId)
    {
        using var deadline = stripe.Deadline();
        var (tenantId, customerId) = Ids;
        var stripeCustomerId = methods.State.StripeCustomerId ?? throw NoSuchPaymentMethod();
        await RequireOwnedAsync(paymentMethodId, stripeCustomerId, deadline.Token);
        var version = methods.State.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var detached = await stripe.SendAsync((client, ct) => client.V1.PaymentMethods.DetachAsync(paymentMethodId,
            new PaymentMethodDetachOptions(),
            StripeGateway.Idempotent(StripeIdempotencyKeys.For("detach", tenantId, customerId, paymentMethodId, version)), ct), deadline.Token);
        methods.State.AttachedPaymentMethodIds.Remove(paymentMethodId);
        methods.State.Version++;
        await methods.WriteStateAsync();
        await Customer.ForgetPaymentMethodAsync(paymentMethodId);
        return Snapshot(detached, customerId, stripeCustomerId);
    }

    public async Task<IReadOnlyList<PaymentMethodSnapshot>> ListAsync()
    {
        if (methods.State.StripeCustomerId is not { } stripeCustomerId)
        {
            return [];
        }
        using var deadline = stripe.Deadline();
        var (_, customerId) = Ids;
        var list = await stripe.SendAsync((client, ct) => client.V1.Customers.PaymentMethods.ListAsync(stripeCustomerId,
            new CustomerPaymentMethodListOptions { Limit = 100 }, null, ct), deadline.Token);
        return list.Data.Select(pm => Snapshot(pm, customerId, stripeCustomerId)).ToArray();
    }

    public async Task<string> EnsureStripeCustomerAsync()
    {
        using var deadline = stripe.Deadline();
        return await EnsureCustomerAsync(deadline.Token);
    }

    public async Task RequireAttachedAsync(string paymentMethodId)
    {
        var stripeCustomerId = methods.State.StripeCustomerId ?? throw NoSuchPaymentMethod();
        using var deadline = stripe.Deadline();
        await RequireOwnedAsync(paymentMethodId, stripeCustomerId, deadline.Token);
    }

    public async Task<bool> EraseStripeCustomerAsync()
    {
        if (methods.State.Erased is null)
        {
            // Recorded first: from here on nothing creates or uses a Stripe customer for this customer.
            methods.State.Erased = clock.GetUtcNow();
            await methods.WriteStateAsync();
        }
        if (methods.State.StripeCustomerId is not { } stripeCustomerId)
        {
            return false;
        }
        using var deadline = stripe.Deadline();
        try
        {
            await stripe.SendAsync((client, ct) => client.V1.Customers.DeleteAsync(stripeCustomerId, null, null, ct), deadline.Token);
        }
        catch (PlatformException refusal) when (refusal.Kind == PlatformErrorKind.NotFound)
        {
            // Deleted by an earlier attempt whose answer was lost: done.
        }
        return true;
    }

    private async Task<string> EnsureCustomerAsync(CancellationToken cancellationToken)
    {
        if (methods.State.Erased is not null)
        {
            throw new PlatformException(PlatformErrorKind.Conflict, "customer_erased", "This customer was erased; it has no payment methods.", "customer");
        }
        if (methods.State.StripeCustomerId is { } existing)
        {
            return existing;
        }
        var (tenantId, customerId) = Ids;
        // Our customer must exist (the API checked, but a PCI grain does not take that on trust).
        if (await GrainFactory.GetGrain<ICustomerGrain>(this.GetPrimaryKeyString()).GetAsync() is null)
        {
            throw new PlatformException(PlatformErrorKind.NotFound, "resource_missing", "No such customer.", "customer");
        }
        var created = await stripe.SendAsync((client, ct) => client.V1.Customers.CreateAsync(new CustomerCreateOptions
        {
            Description = customerId,
            Metadata = StripeMetadata.For(tenantId, customerId),
        }, StripeGateway.Idempotent(StripeIdempotencyKeys.For("customer", tenantId, customerId)), ct), cancellationToken);
        methods.State.StripeCustomerId = created.Id;
        await GrainFactory.GetGrain<IResourceIndexGrain>(0).AddStripeObjectAsync(created.Id, this.GetPrimaryKeyString(), clock.GetUtcNow());
        // Stripe has acted; the record must be written even if the operation's deadline passes now.
        await methods.WriteStateAsync(CancellationToken.None);
        return created.Id;
    }

    public async Task<StripeEventOutcome> ApplyStripeEventAsync(StripeEventData stripeEvent)
    {
        var state = methods.State;
        if (stripeEvent.ObjectId is not { } objectId
            || (stripeEvent.Customer is { } customer && state.StripeCustomerId is { } ours && customer != ours))
        {
            return StripeEventOutcome.Ignored;
        }
        var changed = (stripeEvent.ObjectType, stripeEvent.Type) switch
        {
            ("setup_intent", _) => ApplySetupIntent(objectId, stripeEvent),
            ("payment_method", "payment_method.attached") => MarkAttached(objectId, stripeEvent.Created, attached: true),
            ("payment_method", "payment_method.detached") => MarkAttached(objectId, stripeEvent.Created, attached: false),
            _ => (bool?)null,
        };
        if (changed is null)
        {
            return StripeEventOutcome.Ignored;
        }
        if (changed == false)
        {
            return StripeEventOutcome.Stale;
        }
        await methods.WriteStateAsync();
        // A card saved through Checkout or Stripe.js: the first becomes the default, which retries dunning at once.
        if (stripeEvent.Type == "payment_method.attached"
            || (stripeEvent is { ObjectType: "setup_intent", Status: "succeeded" } && stripeEvent.PaymentMethod is not null))
        {
            await Customer.SetDefaultPaymentMethodAsync(stripeEvent.Type == "payment_method.attached" ? objectId : stripeEvent.PaymentMethod!, onlyIfUnset: true);
        }
        else if (stripeEvent.Type == "payment_method.detached")
        {
            await Customer.ForgetPaymentMethodAsync(objectId);
        }
        return StripeEventOutcome.Applied;
    }

    private bool ApplySetupIntent(string setupIntentId, StripeEventData stripeEvent)
    {
        var status = stripeEvent.Status ?? "";
        if (!Newer(setupIntentId, stripeEvent.Created, SetupIntentRank(status)))
        {
            return false;
        }
        methods.State.SetupIntentStatuses[setupIntentId] = status;
        if (!methods.State.SetupIntentIds.Contains(setupIntentId))
        {
            methods.State.SetupIntentIds.Add(setupIntentId);
        }
        // A succeeded setup intent has attached its payment method to the customer.
        if (status == "succeeded" && stripeEvent.PaymentMethod is { } paymentMethodId)
        {
            MarkAttached(paymentMethodId, stripeEvent.Created, attached: true);
        }
        return true;
    }

    private bool MarkAttached(string paymentMethodId, long created, bool attached)
    {
        // At the same second a detach wins: Stripe cannot attach a method it has just detached.
        if (!Newer(paymentMethodId, created, attached ? 1 : 2))
        {
            return false;
        }
        var list = methods.State.AttachedPaymentMethodIds;
        if (attached && !list.Contains(paymentMethodId))
        {
            list.Add(paymentMethodId);
        }
        else if (!attached)
        {
            list.Remove(paymentMethodId);
        }
        return true;
    }

    private bool Newer(string objectId, long created, int rank)
    {
        var version = created * 16 + rank;
        if (methods.State.EventVersions.TryGetValue(objectId, out var applied) && applied >= version)
        {
            return false;
        }
        methods.State.EventVersions[objectId] = version;
        return true;
    }

    private static int SetupIntentRank(string status) => status switch
    {
        "requires_payment_method" => 1,
        "requires_confirmation" => 2,
        "requires_action" => 3,
        "processing" => 4,
        "succeeded" => 8,
        "canceled" => 9,
        _ => 0,
    };

    // Another customer's (or another tenant's) payment method is "not found", never "forbidden": no oracle.
    private async Task RequireOwnedAsync(string paymentMethodId, string stripeCustomerId, CancellationToken cancellationToken)
    {
        PaymentMethod paymentMethod;
        try
        {
            paymentMethod = await stripe.SendAsync((client, ct) => client.V1.PaymentMethods.GetAsync(paymentMethodId, null, null, ct), cancellationToken);
        }
        catch (PlatformException refusal) when (refusal.Kind == PlatformErrorKind.NotFound)
        {
            throw NoSuchPaymentMethod();
        }
        if (paymentMethod.CustomerId != stripeCustomerId)
        {
            throw NoSuchPaymentMethod();
        }
    }

    private static PlatformException NoSuchPaymentMethod() =>
        new(PlatformErrorKind.NotFound, "resource_missing", "No such payment method for this customer.", "payment_method");

    private static PaymentMethodSnapshot Snapshot(PaymentMethod paymentMethod, string customerId, string stripeCustomerId) =>
        new(paymentMethod.Id,
            paymentMethod.CustomerId == stripeCustomerId ? customerId : null,
            paymentMethod.Type,
            paymentMethod.Card?.Brand,
            paymentMethod.Card?.Last4,
            paymentMethod.Card?.ExpMonth,
            paymentMethod.Card?.ExpYear,
            StripeGateway.Time(paymentMethod.Created));
}
