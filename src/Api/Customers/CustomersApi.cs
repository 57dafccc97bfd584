using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Api.Auth;
using Platform.Api.Common;
using Platform.Api.Errors;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Payments;
using Platform.Grains.Interfaces.DataProtection;

namespace Platform.Api.Customers;

/// <summary>
/// A tenant's customers. The tenant comes from the credential, never from the request, and is part of
/// every grain key: another tenant's customer id simply names a grain with no state here, hence 404.
/// </summary>
public static class CustomersApi
{
    private const int MaxNameLength = 256;
    private const int MaxDescriptionLength = 1000;

    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/customers").WithTags("Customers");
        group.MapPost("/", CreateCustomer).WithName("CreateCustomer").WithSummary("Create a customer")
            .RequireAuthorization(Policies.TenantWrite);
        group.MapGet("/", ListCustomers).WithName("ListCustomers").WithSummary("List customers, newest first")
            .RequireAuthorization(Policies.TenantRead);
        group.MapGet("/{id}", GetCustomer).WithName("GetCustomer").WithSummary("Retrieve a customer (a customer key: only itself)")
            .RequireAuthorization(Policies.TenantReadOrCustomer);
        group.MapPatch("/{id}", UpdateCustomer).WithName("UpdateCustomer").WithSummary("Update a customer")
            .RequireAuthorization(Policies.TenantWrite);
        group.MapPost("/{id}/api_keys", IssueCustomerApiKey).WithName("IssueCustomerApiKey")
            .WithSummary("Issue a customer key (X-API-Key) for the customer's own instance; the secret is shown once")
            .RequireAuthorization(Policies.TenantAdmin);
        group.MapGet("/{id}/api_keys", ListCustomerApiKeys).WithName("ListCustomerApiKeys").WithSummary("List a customer's keys (no secrets)")
            .RequireAuthorization(Policies.TenantAdmin);
        group.MapDelete("/{id}/api_keys/{keyId}", RevokeCustomerApiKey).WithName("RevokeCustomerApiKey").WithSummary("Revoke a customer key at once")
            .RequireAuthorization(Policies.TenantAdmin);
        group.MapGet("/{id}/export", ExportCustomer).WithName("ExportCustomer")
            .WithSummary("Everything held about the customer as one JSON document (GDPR access and portability); audited")
            .RequireAuthorization(Policies.TenantAdmin);
        group.MapPost("/{id}/erase", EraseCustomer).WithName("EraseCustomer")
            .WithSummary("Erase the customer's personal data everywhere, keeping financial records (GDPR erasure); idempotent, resumes until done; audited")
            .RequireAuthorization(Policies.TenantAdmin);
        return app;
    }

    public static async Task<Results<Ok<CustomerResource>, ProblemHttpResult>> CreateCustomer(
        [AsParameters] CustomerServices services, CreateCustomerRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey)
    {
        if ((Validation.Email("email", request.Email)
             ?? Validation.Text("name", request.Name, MaxNameLength)
             ?? Validation.Text("description", request.Description, MaxDescriptionLength)
             ?? Validation.Metadata(request.Metadata)
             ?? Validation.IdempotencyKey(idempotencyKey)) is { } invalid)
        {
            return invalid;
        }
        if (request.TestClock is { } testClock)
        {
            if (TestClocks.TestClocksApi.Disabled(services.Http.RequestServices
                    .GetRequiredService<Microsoft.Extensions.Options.IOptions<TestClocks.TestClockSettings>>().Value) is { } disabled)
            {
                return disabled;
            }
            if (!PlatformIds.IsTestClockId(testClock))
            {
                return Problems.Invalid("test_clock", "test_clock must be the id of one of your test clocks (clock_…).");
            }
        }
        var tenantId = services.Http.User.RequireTenantId();
        var metadata = request.Metadata ?? [];
        var customerId = idempotencyKey is null ? PlatformIds.NewCustomerId() : PlatformIds.CustomerIdFor(tenantId, idempotencyKey);
        var draft = new CustomerDraft(request.Email, request.Name, request.Description, metadata,
            DraftFingerprint.Of(request.Email, request.Name, request.Description, DraftFingerprint.Of(metadata), request.TestClock), request.TestClock);
        var customer = await Customer(services, tenantId, customerId).CreateAsync(draft);
        return TypedResults.Ok(CustomerResource.From(customer));
    }

    public static async Task<Results<Ok<ListResource<CustomerResource>>, ProblemHttpResult>> ListCustomers(
        [AsParameters] CustomerServices services, [AsParameters] ListQuery query)
    {
        if (query.Validate(PlatformIds.IsCustomerId, out var page) is { } invalid)
        {
            return invalid;
        }
        var tenantId = services.Http.User.RequireTenantId();
        var result = await services.Grains.GetGrain<ICustomerDirectoryGrain>(tenantId).ListAsync(page);
        return TypedResults.Ok(new ListResource<CustomerResource>("/v1/customers", result.HasMore,
            result.Items.Select(CustomerResource.From).ToArray()));
    }

    public static async Task<Results<Ok<CustomerResource>, ProblemHttpResult>> GetCustomer(
        [AsParameters] CustomerServices services, string id)
    {
        // A customer key reads only its own customer; any other id is answered as if it did not exist.
        if (!PlatformIds.IsCustomerId(id) || (services.Http.User.CustomerIdOf() is { } self && self != id))
        {
            return Problems.NotFound("customer");
        }
        var customer = await Customer(services, services.Http.User.RequireTenantId(), id).GetAsync();
        return customer is null ? Problems.NotFound("customer") : TypedResults.Ok(CustomerResource.From(customer));
    }

    public static async Task<Results<Ok<CustomerResource>, ProblemHttpResult>> UpdateCustomer(
        [AsParameters] CustomerServices services, string id, UpdateCustomerRequest request)
    {
        if (!PlatformIds.IsCustomerId(id))
        {
            return Problems.NotFound("customer");
        }
        if ((Validation.Email("email", request.Email, allowEmpty: true)
             ?? Validation.Text("name", request.Name, MaxNameLength, allowEmpty: true)
             ?? Validation.Text("description", request.Description, MaxDescriptionLength, allowEmpty: true)
             ?? Validation.Metadata(request.Metadata, allowEmptyValues: true)) is { } invalid)
        {
            return invalid;
        }
        var defaultMethod = request.InvoiceSettings?.DefaultPaymentMethod;
        if (defaultMethod is { Length: > 0 } && (!defaultMethod.StartsWith("pm_", StringComparison.Ordinal) || defaultMethod.Length > 255))
        {
            return Problems.Invalid("invoice_settings[default_payment_method]", "default_payment_method must be one of the customer's payment methods (pm_…).");
        }
        var tenantId = services.Http.User.RequireTenantId();
        var grain = Customer(services, tenantId, id);
        var customer = request is { Email: null, Name: null, Description: null, Metadata: null }
            ? await grain.GetAsync()
            : await grain.UpdateAsync(new CustomerPatch(request.Email, request.Name, request.Description, request.Metadata));
        if (customer is not null && defaultMethod is not null)
        {
            if (defaultMethod.Length > 0)
            {
                try
                {
                    await services.Grains.GetGrain<IPaymentMethodsGrain>(PlatformIds.CustomerKey(tenantId, id)).RequireAttachedAsync(defaultMethod);
                }
                catch (PlatformException missing) when (missing.Kind == PlatformErrorKind.NotFound)
                {
                    return Problems.Result(404, "resource_missing", "No such payment method on this customer.", "invoice_settings[default_payment_method]");
                }
            }
            customer = await grain.SetDefaultPaymentMethodAsync(defaultMethod.Length > 0 ? defaultMethod : null);
        }
        return customer is null ? Problems.NotFound("customer") : TypedResults.Ok(CustomerResource.From(customer));
    }

    public static async Task<Results<Ok<IssuedCustomerApiKeyResource>, ProblemHttpResult>> IssueCustomerApiKey(
        [AsParameters] CustomerServices services, string id)
    {
        if (await ExistingCustomer(services, id) is not { } grain)
        {
            return Problems.NotFound("customer");
        }
        var issued = await grain.IssueApiKeyAsync();
        return TypedResults.Ok(new IssuedCustomerApiKeyResource(issued.Key.Id, id, UnixTime.Seconds(issued.Key.Created), issued.Secret));
    }

    public static async Task<Results<Ok<ListResource<CustomerApiKeyResource>>, ProblemHttpResult>> ListCustomerApiKeys(
        [AsParameters] CustomerServices services, string id)
    {
        if (await ExistingCustomer(services, id) is not { } grain)
        {
            return Problems.NotFound("customer");
        }
        var keys = await grain.ListApiKeysAsync();
        return TypedResults.Ok(new ListResource<CustomerApiKeyResource>($"/v1/customers/{id}/api_keys", false,
            keys.OrderByDescending(k => k.Created).Select(k => CustomerApiKeyResource.From(id, k)).ToArray()));
    }

    public static async Task<Results<Ok<CustomerApiKeyResource>, ProblemHttpResult>> RevokeCustomerApiKey(
        [AsParameters] CustomerServices services, string id, string keyId)
    {
        if (!PlatformIds.IsCustomerKeyId(keyId) || await ExistingCustomer(services, id) is not { } grain)
        {
            return Problems.NotFound("customer api key");
        }
        var revoked = await grain.RevokeApiKeyAsync(keyId);
        return revoked is null ? Problems.NotFound("customer api key") : TypedResults.Ok(CustomerApiKeyResource.From(id, revoked));
    }

    public static async Task<Results<Ok<CustomerExportResource>, ProblemHttpResult>> ExportCustomer(
        [AsParameters] CustomerServices services, string id)
    {
        if (!PlatformIds.IsCustomerId(id))
        {
            return Problems.NotFound("customer");
        }
        var export = await Privacy(services, id).ExportAsync();
        return export is null ? Problems.NotFound("customer") : TypedResults.Ok(CustomerExportResource.From(export));
    }

    /// <summary>200 when the erasure is complete; 202 while a step (say, Stripe) still has to succeed: it resumes by itself.</summary>
    public static async Task<Results<Ok<CustomerErasureResource>, Accepted<CustomerErasureResource>, ProblemHttpResult>> EraseCustomer(
        [AsParameters] CustomerServices services, string id)
    {
        if (!PlatformIds.IsCustomerId(id))
        {
            return Problems.NotFound("customer");
        }
        var erasure = await Privacy(services, id).EraseAsync();
        if (erasure is null)
        {
            return Problems.NotFound("customer");
        }
        var resource = CustomerErasureResource.From(erasure);
        return erasure.Status == ErasureStatus.Completed
            ? TypedResults.Ok(resource)
            : TypedResults.Accepted($"/v1/customers/{id}", resource);
    }

    private static ICustomerPrivacyGrain Privacy(CustomerServices services, string customerId) =>
        services.Grains.GetGrain<ICustomerPrivacyGrain>(PlatformIds.CustomerKey(services.Http.User.RequireTenantId(), customerId));

    /// <summary>The caller's tenant's customer grain, or null when the id is malformed or names no customer of this tenant.</summary>
    private static async Task<ICustomerGrain?> ExistingCustomer(CustomerServices services, string id)
    {
        if (!PlatformIds.IsCustomerId(id))
        {
            return null;
        }
        var grain = Customer(services, services.Http.User.RequireTenantId(), id);
        return await grain.GetAsync() is null ? null : grain;
    }

    private static ICustomerGrain Customer(CustomerServices services, string tenantId, string customerId) =>
        services.Grains.GetGrain<ICustomerGrain>(PlatformIds.CustomerKey(tenantId, customerId));
}
