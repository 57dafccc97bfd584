using Platform.Api.Common;
using Platform.Grains.Interfaces.Customers;

namespace Platform.Api.Customers;

/// <param name="Status"><c>active</c>, or <c>erased</c> after POST /v1/customers/{id}/erase (personal fields then null).</param>
public sealed record CustomerResource(
    string Id, string? Email, string? Name, string? Description, IReadOnlyDictionary<string, string> Metadata, long Created, string Status)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Object => "customer";

    public const string Active = "active";
    public const string Erased = "erased";

    public static CustomerResource From(CustomerSnapshot customer) =>
        new(customer.Id, customer.Email, customer.Name, customer.Description, customer.Metadata, UnixTime.Seconds(customer.Created),
            customer.Status == CustomerStatus.Erased ? Erased : Active);
}

public sealed record CreateCustomerRequest(string? Email, string? Name, string? Description, Dictionary<string, string>? Metadata);

/// <summary>Absent fields stay; an empty string clears a field; a metadata key set to "" is removed.</summary>
public sealed record UpdateCustomerRequest(string? Email, string? Name, string? Description, Dictionary<string, string>? Metadata);

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
