using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Api.Auth;
using Platform.Api.Common;
using Platform.Api.Errors;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;

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
        group.MapGet("/{id}", GetCustomer).WithName("GetCustomer").WithSummary("Retrieve a customer")
            .RequireAuthorization(Policies.TenantRead);
        group.MapPatch("/{id}", UpdateCustomer).WithName("UpdateCustomer").WithSummary("Update a customer")
            .RequireAuthorization(Policies.TenantWrite);
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
        var tenantId = services.Http.User.RequireTenantId();
        var metadata = request.Metadata ?? [];
        var customerId = idempotencyKey is null ? PlatformIds.NewCustomerId() : PlatformIds.CustomerIdFor(tenantId, idempotencyKey);
        var draft = new CustomerDraft(request.Email, request.Name, request.Description, metadata,
            DraftFingerprint.Of(request.Email, request.Name, request.Description, DraftFingerprint.Of(metadata)));
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
        if (!PlatformIds.IsCustomerId(id))
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
        var patch = new CustomerPatch(request.Email, request.Name, request.Description, request.Metadata);
        var customer = await Customer(services, services.Http.User.RequireTenantId(), id).UpdateAsync(patch);
        return customer is null ? Problems.NotFound("customer") : TypedResults.Ok(CustomerResource.From(customer));
    }

    private static ICustomerGrain Customer(CustomerServices services, string tenantId, string customerId) =>
        services.Grains.GetGrain<ICustomerGrain>(PlatformIds.CustomerKey(tenantId, customerId));
}
