using System.Text.Json.Nodes;
using Platform.Grains.Interfaces.Customers;

namespace Platform.Grains.Customers;

/// <summary>
/// A customer as the API shows it (CustomerResource in src/Api), for the <c>data.object</c> of
/// customer events. Kept field for field with the API resource; a test compares the two.
/// </summary>
public static class CustomerEventData
{
    public static string Render(CustomerSnapshot customer)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in customer.Metadata)
        {
            metadata[key] = value;
        }
        return new JsonObject
        {
            ["object"] = "customer",
            ["id"] = customer.Id,
            ["email"] = customer.Email,
            ["name"] = customer.Name,
            ["description"] = customer.Description,
            ["metadata"] = metadata,
            ["created"] = customer.Created.ToUnixTimeSeconds(),
            ["status"] = customer.Status == CustomerStatus.Erased ? "erased" : "active",
            ["invoice_settings"] = new JsonObject { ["default_payment_method"] = customer.DefaultPaymentMethodId },
            ["test_clock"] = customer.TestClockId,
        }.ToJsonString();
    }
}
