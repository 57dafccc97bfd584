using System.Text.Json.Nodes;
using Platform.StripeFake.Checkout;
using Platform.StripeFake.PaymentIntents;
using Platform.StripeFake.Subscriptions;
using Platform.StripeFake.Webhooks;

namespace Platform.StripeFake.Control;

/// <summary>Fake-only actions shared by the <c>/_fake</c> endpoints and <see cref="StripeFakeServer"/>.</summary>
internal sealed class FakeControl(FakeServices services)
{
    public JsonObject CompleteCheckoutSession(string sessionId, string? paymentMethod) =>
        Locked(() => CheckoutCompletion.Complete(services, sessionId, paymentMethod, RequestInfo.Automatic));

    public JsonObject SetSubscriptionStatus(string subscriptionId, string status) => Locked(() =>
    {
        var subscription = services.State.Require(subscriptionId, "subscription");
        SubscriptionStatusMoves.SetStatus(services, subscription, status, RequestInfo.Automatic);
        return subscription;
    });

    public JsonObject EndSubscriptionPeriod(string subscriptionId) => Locked(() =>
    {
        var subscription = services.State.Require(subscriptionId, "subscription");
        SubscriptionPeriods.End(services, subscription, RequestInfo.Automatic);
        return subscription;
    });

    public int EndDuePeriods()
    {
        lock (services.State.Sync)
        {
            return SubscriptionPeriods.EndDue(services, RequestInfo.Automatic);
        }
    }

    public JsonObject SendTrialWillEnd(string subscriptionId) => Locked(() =>
    {
        var subscription = services.State.Require(subscriptionId, "subscription");
        SubscriptionLifecycle.TrialWillEnd(services, subscription, RequestInfo.Automatic);
        return subscription;
    });

    public JsonObject AuthenticatePaymentIntent(string paymentIntentId, bool succeeds) => Locked(() =>
    {
        var paymentIntent = services.State.Require(paymentIntentId, "payment_intent");
        PaymentIntentConfirmation.Authenticate(services, paymentIntent, succeeds, RequestInfo.Automatic);
        return paymentIntent;
    });

    private JsonObject Locked(Func<JsonObject> action)
    {
        lock (services.State.Sync)
        {
            return (JsonObject)action().DeepClone();
        }
    }
}
