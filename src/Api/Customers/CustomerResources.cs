using Platform.Api.Common;
using Platform.Api.OpenApi;
using Platform.Grains.Interfaces.Customers;

namespace Platform.Api.Customers;

/// <param name="Status"><c>active</c>, or <c>erased</c> after POST /v1/customers/{id}/erase (personal fields then null).</param>
/// <param name="InvoiceSettings">As at Stripe: <c>default_payment_method</c>, what automatic invoices charge.</param>
/// <param name="TestClock">The test clock the customer's billing runs on (docs/INVOICES.md), or null.</param>
public sealed record CustomerResource(
    string Id, string? Email, string? Name, string? Description, IReadOnlyDictionary<string, string> Metadata, long Created,
    [property: WireValues(CustomerResource.Active, CustomerResource.Erased)] string Status,
    CustomerInvoiceSettings InvoiceSettings, string? TestClock)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "customer";

    public const string Active = "active";
    public const string Erased = "erased";

    public static CustomerResource From(CustomerSnapshot customer) =>
        new(customer.Id, customer.Email, customer.Name, customer.Description, customer.Metadata, UnixTime.Seconds(customer.Created),
            customer.Status == CustomerStatus.Erased ? Erased : Active, new CustomerInvoiceSettings(customer.DefaultPaymentMethodId), customer.TestClockId);
}

/// <param name="TestClock">A test clock (<c>clock_…</c>) the customer's billing runs on, fixed for life (Billing:TestClocks).</param>
public sealed record CreateCustomerRequest(string? Email, string? Name, string? Description, Dictionary<string, string>? Metadata, string? TestClock = null);

/// <summary><c>invoice_settings</c> of a customer: <c>default_payment_method</c> (a <c>pm_…</c> attached to it; "" clears it).</summary>
public sealed record CustomerInvoiceSettings(string? DefaultPaymentMethod);

/// <summary>Absent fields stay; an empty string clears a field; a metadata key set to "" is removed.</summary>
public sealed record UpdateCustomerRequest(
    string? Email, string? Name, string? Description, Dictionary<string, string>? Metadata, CustomerInvoiceSettings? InvoiceSettings = null);

public sealed record CustomerApiKeyResource(string Id, string Customer, long Created, string SecretHint, bool Revoked, long? RevokedAt)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "customer_api_key";

    public static CustomerApiKeyResource From(string customerId, CustomerApiKeySummary key) =>
        new(key.Id, customerId, UnixTime.Seconds(key.Created), key.SecretHint, key.Revoked is not null,
            key.Revoked is { } at ? UnixTime.Seconds(at) : null);
}

/// <summary>The reply to an issue: the only time a customer key's secret is shown.</summary>
public sealed record IssuedCustomerApiKeyResource(string Id, string Customer, long Created, string Secret)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "customer_api_key";
}
