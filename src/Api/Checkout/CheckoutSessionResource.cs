using System.Text.Json.Serialization;
using Platform.Grains.Interfaces.Subscriptions;

namespace Platform.Api.Checkout;

/// <summary>A Stripe Checkout Session selling a plan: send the customer to <c>url</c> (Stripe's hosted page).</summary>
public sealed record CheckoutSessionResource(string Id, string? Url, long ExpiresAt, string Customer, string Plan, string Status, long Created)
{
    [JsonPropertyOrder(-1)]
    public string Object => "checkout.session";

    public static CheckoutSessionResource From(CheckoutSessionSnapshot s) =>
        new(s.Id, s.Url, s.ExpiresAt.ToUnixTimeSeconds(), s.CustomerId, s.PlanId, s.Status, s.Created.ToUnixTimeSeconds());
}
