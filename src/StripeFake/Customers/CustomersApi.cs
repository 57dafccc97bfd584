using System.Text.Json.Nodes;
using Platform.StripeFake.PaymentMethods;
using Platform.StripeFake.Webhooks;
using Platform.StripeFake.Wire;

namespace Platform.StripeFake.Customers;

/// <summary><c>/v1/customers</c>: create, retrieve, update, delete, list.</summary>
internal static class CustomersApi
{
    private static readonly string[] _simpleFields = ["email", "name", "description", "phone"];

    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/customers").WithTags("Customers");
        group.MapPost("/", CreateAsync).WithName("CreateCustomer");
        group.MapGet("/", ListAsync).WithName("ListCustomers");
        group.MapGet("/{id}", GetAsync).WithName("GetCustomer");
        group.MapPost("/{id}", UpdateAsync).WithName("UpdateCustomer");
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteCustomer");
        return app;
    }

    public static JsonObject NewCustomer(FakeServices services, string? email, string? name) => new()
    {
        ["id"] = StripeJson.NewId("cus", 14),
        ["object"] = "customer",
        ["address"] = null,
        ["balance"] = 0,
        ["created"] = services.Now,
        ["currency"] = null,
        ["default_source"] = null,
        ["delinquent"] = false,
        ["description"] = null,
        ["email"] = email,
        ["invoice_prefix"] = StripeJson.NewId("X", 6)[2..].ToUpperInvariant(),
        ["invoice_settings"] = new JsonObject
        {
            ["custom_fields"] = null,
            ["default_payment_method"] = null,
            ["footer"] = null,
            ["rendering_options"] = null,
        },
        ["livemode"] = false,
        ["metadata"] = new JsonObject(),
        ["name"] = name,
        ["next_invoice_sequence"] = 1,
        ["phone"] = null,
        ["preferred_locales"] = new JsonArray(),
        ["shipping"] = null,
        ["tax_exempt"] = "none",
        ["test_clock"] = null,
    };

    private static async Task<IResult> CreateAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var customer = NewCustomer(services, null, null);
            Apply(services, customer, form, request);
            services.State.Add(customer, request.IdempotencyKey);
            services.Publish("customer.created", customer, request);
            return services.Render(customer, form);
        }
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        lock (services.State.Sync)
        {
            var customer = services.State.Find(id);
            return customer is not null && (string?)customer["object"] == "customer"
                ? services.Render(customer, form)
                : throw StripeApiException.Missing(id);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var email = form.GetString("email");
        lock (services.State.Sync)
        {
            var customers = services.State.ListLive("customer")
                .Where(c => c["deleted"] is null && (email is null || (string?)c["email"] == email))
                .Reverse();
            return StripeJson.Ok(StripeJson.List("/v1/customers", customers, form));
        }
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var form = await FormRequest.ReadAsync(http);
        var request = RequestInfo.From(http);
        lock (services.State.Sync)
        {
            var customer = services.State.Require(id, "customer");
            var before = (JsonObject)customer.DeepClone();
            Apply(services, customer, form, request);
            services.Publish("customer.updated", customer, request, PreviousAttributes.Compute(before, customer));
            return services.Render(customer, form);
        }
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, [AsParameters] FakeServices services)
    {
        var request = RequestInfo.From(http);
        await FormRequest.ReadAsync(http);
        lock (services.State.Sync)
        {
            var customer = services.State.Require(id, "customer");
            services.Publish("customer.deleted", customer, request);
            customer["deleted"] = true;
            return StripeJson.Ok(new JsonObject { ["id"] = id, ["object"] = "customer", ["deleted"] = true });
        }
    }

    private static void Apply(FakeServices services, JsonObject customer, FormRequest form, RequestInfo request)
    {
        foreach (var field in _simpleFields)
        {
            if (form.Has(field))
            {
                customer[field] = form.GetString(field) is { Length: > 0 } value ? value : null;
            }
        }

        if (form.GetObject("address") is { } address)
        {
            customer["address"] = address.DeepClone();
        }

        if (form.Has("metadata"))
        {
            Metadata.Apply(customer, form.Root["metadata"]);
        }

        var customerId = (string)customer["id"]!;
        if (form.GetString("payment_method") is { Length: > 0 } paymentMethodId)
        {
            var paymentMethod = PaymentMethodsApi.Resolve(services, paymentMethodId, "payment_method");
            PaymentMethodsApi.Attach(services, paymentMethod, customerId, request);
        }

        if (form.GetObject("invoice_settings") is { } invoiceSettings
            && FormRequest.GetString(invoiceSettings, "default_payment_method") is { } defaultId)
        {
            var settings = customer["invoice_settings"] as JsonObject ?? [];
            if (defaultId.Length == 0)
            {
                settings["default_payment_method"] = null;
            }
            else
            {
                var paymentMethod = PaymentMethodsApi.Resolve(services, defaultId, "invoice_settings[default_payment_method]");
                if ((string?)paymentMethod["customer"] != customerId)
                {
                    throw StripeApiException.InvalidRequest(
                        $"The customer does not have a payment method with the ID {defaultId}. The payment method must be attached to the customer.",
                        "invoice_settings[default_payment_method]",
                        "resource_missing");
                }

                settings["default_payment_method"] = paymentMethod["id"]?.DeepClone();
            }

            customer["invoice_settings"] = settings;
        }
    }
}
