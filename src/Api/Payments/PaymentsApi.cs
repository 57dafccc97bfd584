using System.Buffers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Api.Auth;
using Platform.Api.Common;
using Platform.Api.Errors;
using Platform.Api.OpenApi;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Payments;

namespace Platform.Api.Payments;

/// <summary>
/// The PCI routes. This side holds no Stripe.net and no Stripe secret: it checks the caller, the input and
/// that the customer is the caller tenant's, then makes one call to a PCI grain, which runs on a pci silo
/// and alone talks to Stripe. Card data never passes here; only Stripe ids (pm_, seti_, pi_).
/// Money-moving POSTs (payment intents, refunds) require an Idempotency-Key.
/// </summary>
public static class PaymentsApi
{
    private static readonly string[] ReservedMetadataKeys = ["tenant_id", "customer_id", "payment_id", "refund_id"];
    private static readonly SearchValues<char> StripeIdChars =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_");

    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var methods = app.MapGroup("/v1/payment_methods").WithTags("Payment methods");
        methods.MapGet("/publishable_key", GetPublishableKey).WithName("GetPublishableKey")
            .WithSummary("Stripe's publishable key, for Stripe.js").RequireAuthorization(Policies.TenantRead);
        methods.MapPost("/{id}/attach", AttachPaymentMethod).WithName("AttachPaymentMethod")
            .WithSummary("Attach a payment method to a customer").RequireAuthorization(Policies.TenantWrite);
        methods.MapPost("/{id}/detach", DetachPaymentMethod).WithName("DetachPaymentMethod")
            .WithSummary("Detach a payment method from its customer").RequireAuthorization(Policies.TenantWrite);
        app.MapGet("/v1/customers/{id}/payment_methods", ListPaymentMethods).WithTags("Payment methods").WithName("ListPaymentMethods")
            .WithSummary("List a customer's payment methods").RequireAuthorization(Policies.TenantRead);

        app.MapPost("/v1/setup_intents", CreateSetupIntent).WithTags("Setup intents").WithName("CreateSetupIntent")
            .WithSummary("Create a setup intent to save a card with Stripe.js").RequireAuthorization(Policies.TenantWrite);

        var intents = app.MapGroup("/v1/payment_intents").WithTags("Payment intents");
        intents.MapPost("/", CreatePaymentIntent).WithName("CreatePaymentIntent")
            .WithSummary("Create (and optionally confirm) a payment").RequireAuthorization(Policies.TenantWrite)
            .ProducesProblem(StatusCodes.Status402PaymentRequired).WithMetadata(IdempotencyKeyRequired.Instance);
        intents.MapGet("/", ListPaymentIntents).WithName("ListPaymentIntents")
            .WithSummary("List payments, newest first").RequireAuthorization(Policies.TenantRead);
        intents.MapGet("/{id}", GetPaymentIntent).WithName("GetPaymentIntent")
            .WithSummary("Retrieve a payment, synced from Stripe when stale").RequireAuthorization(Policies.TenantRead);

        var refunds = app.MapGroup("/v1/refunds").WithTags("Refunds");
        refunds.MapPost("/", CreateRefund).WithName("CreateRefund")
            .WithSummary("Refund all or part of a payment (finance and admin keys)").RequireAuthorization(Policies.TenantWrite)
            .WithMetadata(IdempotencyKeyRequired.Instance);
        refunds.MapGet("/", ListRefunds).WithName("ListRefunds")
            .WithSummary("List refunds, newest first; filters payment_intent, created[gte|lte]").RequireAuthorization(Policies.TenantRead);
        refunds.MapGet("/{id}", GetRefund).WithName("GetRefund")
            .WithSummary("Retrieve a refund").RequireAuthorization(Policies.TenantRead);
        return app;
    }

    public static async Task<Ok<PublishableKeyResource>> GetPublishableKey([AsParameters] PaymentServices services) =>
        TypedResults.Ok(new PublishableKeyResource(await services.Grains.GetGrain<IPublishableKeyGrain>(0).GetAsync()));

    public static async Task<Results<Ok<SetupIntentResource>, ProblemHttpResult>> CreateSetupIntent(
        [AsParameters] PaymentServices services, CreateSetupIntentRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey)
    {
        if (Validation.IdempotencyKey(idempotencyKey) is { } invalid)
        {
            return invalid;
        }
        var tenantId = services.Http.User.RequireTenantId();
        if (await RequireCustomerAsync(services, tenantId, request.Customer) is { } missing)
        {
            return missing;
        }
        // Without a client key, the request still gets one key of its own for Stripe (its retries reuse it).
        var requestKey = idempotencyKey ?? services.Http.TraceIdentifier + "/" + Guid.NewGuid().ToString("N");
        var intent = await Methods(services, tenantId, request.Customer!).CreateSetupIntentAsync(requestKey);
        return TypedResults.Ok(SetupIntentResource.From(intent));
    }

    public static async Task<Results<Ok<PaymentMethodResource>, ProblemHttpResult>> AttachPaymentMethod(
        [AsParameters] PaymentServices services, string id, PaymentMethodCustomerRequest request)
    {
        if (!IsStripeId(id, "pm_"))
        {
            return Problems.NotFound("payment method");
        }
        var tenantId = services.Http.User.RequireTenantId();
        if (await RequireCustomerAsync(services, tenantId, request.Customer) is { } missing)
        {
            return missing;
        }
        var method = await Methods(services, tenantId, request.Customer!).AttachAsync(id);
        return TypedResults.Ok(PaymentMethodResource.From(method));
    }

    public static async Task<Results<Ok<PaymentMethodResource>, ProblemHttpResult>> DetachPaymentMethod(
        [AsParameters] PaymentServices services, string id, PaymentMethodCustomerRequest request)
    {
        if (!IsStripeId(id, "pm_"))
        {
            return Problems.NotFound("payment method");
        }
        var tenantId = services.Http.User.RequireTenantId();
        if (await RequireCustomerAsync(services, tenantId, request.Customer) is { } missing)
        {
            return missing;
        }
        var method = await Methods(services, tenantId, request.Customer!).DetachAsync(id);
        return TypedResults.Ok(PaymentMethodResource.From(method));
    }

    public static async Task<Results<Ok<ListResource<PaymentMethodResource>>, ProblemHttpResult>> ListPaymentMethods(
        [AsParameters] PaymentServices services, string id)
    {
        var tenantId = services.Http.User.RequireTenantId();
        if (!PlatformIds.IsCustomerId(id) || await CustomerAsync(services, tenantId, id) is null)
        {
            return Problems.NotFound("customer");
        }
        var methods = await Methods(services, tenantId, id).ListAsync();
        return TypedResults.Ok(new ListResource<PaymentMethodResource>($"/v1/customers/{id}/payment_methods", false,
            methods.Select(PaymentMethodResource.From).ToArray()));
    }

    public static async Task<Results<Ok<PaymentIntentResource>, ProblemHttpResult>> CreatePaymentIntent(
        [AsParameters] PaymentServices services, CreatePaymentIntentRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey)
    {
        if ((RequireIdempotencyKey(idempotencyKey)
             ?? Amount("amount", request.Amount, required: true)
             ?? Validation.Currency("currency", request.Currency)
             ?? PaymentMethodParam(request.PaymentMethod)
             ?? Validation.Metadata(request.Metadata)
             ?? ReservedMetadata(request.Metadata)) is { } invalid)
        {
            return invalid;
        }
        if (request.Confirm == true && request.PaymentMethod is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "confirm=true needs a payment_method attached to the customer.", "payment_method");
        }
        var tenantId = services.Http.User.RequireTenantId();
        if (await RequireCustomerAsync(services, tenantId, request.Customer) is { } missing)
        {
            return missing;
        }
        var metadata = request.Metadata ?? [];
        var currency = Currencies.Normalize(request.Currency)!;
        var confirm = request.Confirm ?? false;
        var draft = new PaymentDraft(request.Customer!, request.Amount!.Value, currency, request.PaymentMethod, confirm, metadata,
            DraftFingerprint.Of(request.Customer, request.Amount.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), currency,
                request.PaymentMethod, confirm ? "confirm" : "no-confirm", DraftFingerprint.Of(metadata)));
        var paymentId = PlatformIds.PaymentIdFor(tenantId, idempotencyKey!);
        var payment = await Payment(services, tenantId, paymentId).CreateAsync(draft);
        return TypedResults.Ok(PaymentIntentResource.From(payment));
    }

    public static async Task<Results<Ok<PaymentIntentResource>, ProblemHttpResult>> GetPaymentIntent(
        [AsParameters] PaymentServices services, string id)
    {
        if (!PlatformIds.IsPaymentId(id))
        {
            return Problems.NotFound("payment_intent");
        }
        var payment = await Payment(services, services.Http.User.RequireTenantId(), id).GetAsync(refresh: true);
        return payment is null ? Problems.NotFound("payment_intent") : TypedResults.Ok(PaymentIntentResource.From(payment));
    }

    /// <summary>The payment statuses a list filters by, as the wire spells them.</summary>
    private static readonly string[] PaymentStatuses = Enum.GetValues<PaymentStatus>()
        .Select(s => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(s.ToString())).ToArray();

    /// <summary>Our own records of payments (no Stripe call, no client secrets), with Stripe's list filters.</summary>
    public static async Task<Results<Ok<ListResource<PaymentIntentResource>>, ProblemHttpResult>> ListPaymentIntents(
        [AsParameters] PaymentServices services, [AsParameters] FilteredListQuery query)
    {
        if (query.Validate(PaymentStatuses, out var page, out var filter) is { } invalid)
        {
            return invalid;
        }
        if (query.Cursor is (var param, { } cursor) && !PlatformIds.IsPaymentId(cursor))
        {
            return FilteredListQuery.UnknownCursor(param);
        }
        var tenantId = services.Http.User.RequireTenantId();
        var scope = tenantId;
        if (query.Customer is { } customer)
        {
            if (!PlatformIds.IsCustomerId(customer) || await CustomerAsync(services, tenantId, customer) is null)
            {
                return Problems.Result(404, ErrorCodes.ResourceMissing, "No such customer.", "customer");
            }
            scope = PlatformIds.CustomerKey(tenantId, customer);
        }
        var result = await services.Grains.GetGrain<IPaymentDirectoryGrain>(scope).ListAsync(page, filter);
        return TypedResults.Ok(new ListResource<PaymentIntentResource>("/v1/payment_intents", result.HasMore,
            result.Items.Select(PaymentIntentResource.From).ToArray()));
    }

    public static async Task<Results<Ok<RefundResource>, ProblemHttpResult>> CreateRefund(
        [AsParameters] PaymentServices services, CreateRefundRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey)
    {
        if ((RequireIdempotencyKey(idempotencyKey) ?? Amount("amount", request.Amount, required: false)) is { } invalid)
        {
            return invalid;
        }
        if (request.PaymentIntent is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "payment_intent is required.", "payment_intent");
        }
        if (!PlatformIds.IsPaymentId(request.PaymentIntent))
        {
            return Problems.NotFound("payment_intent");
        }
        var tenantId = services.Http.User.RequireTenantId();
        var draft = new RefundDraft(idempotencyKey!, request.Amount,
            DraftFingerprint.Of(request.PaymentIntent, request.Amount?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var refund = await Payment(services, tenantId, request.PaymentIntent).RefundAsync(draft);
        return TypedResults.Ok(RefundResource.From(refund));
    }

    /// <summary>Our own records of refunds (no Stripe call); refunds Stripe refused are not refunds and are not listed.</summary>
    public static async Task<Results<Ok<ListResource<RefundResource>>, ProblemHttpResult>> ListRefunds(
        [AsParameters] PaymentServices services, [AsParameters] RefundListQuery query)
    {
        if (query.Validate(out var page, out var filter) is { } invalid)
        {
            return invalid;
        }
        if (query.Cursor is (var param, { } cursor) && !PlatformIds.IsRefundId(cursor))
        {
            return FilteredListQuery.UnknownCursor(param);
        }
        var tenantId = services.Http.User.RequireTenantId();
        var scope = tenantId;
        if (query.PaymentIntent is { } paymentId)
        {
            if (!PlatformIds.IsPaymentId(paymentId) || await Payment(services, tenantId, paymentId).GetAsync(refresh: false) is null)
            {
                return Problems.Result(404, ErrorCodes.ResourceMissing, "No such payment_intent.", "payment_intent");
            }
            scope = PlatformIds.PaymentKey(tenantId, paymentId);
        }
        var result = await services.Grains.GetGrain<IRefundDirectoryGrain>(scope).ListAsync(page, filter);
        return TypedResults.Ok(new ListResource<RefundResource>("/v1/refunds", result.HasMore, result.Items.Select(RefundResource.From).ToArray()));
    }

    public static async Task<Results<Ok<RefundResource>, ProblemHttpResult>> GetRefund([AsParameters] PaymentServices services, string id)
    {
        var refund = PlatformIds.IsRefundId(id)
            ? await services.Grains.GetGrain<IRefundDirectoryGrain>(services.Http.User.RequireTenantId()).GetAsync(id)
            : null;
        return refund is null ? Problems.NotFound("refund") : TypedResults.Ok(RefundResource.From(refund));
    }

    private static IPaymentMethodsGrain Methods(PaymentServices services, string tenantId, string customerId) =>
        services.Grains.GetGrain<IPaymentMethodsGrain>(PlatformIds.CustomerKey(tenantId, customerId));

    private static IPaymentIntentGrain Payment(PaymentServices services, string tenantId, string paymentId) =>
        services.Grains.GetGrain<IPaymentIntentGrain>(PlatformIds.PaymentKey(tenantId, paymentId));

    private static Task<CustomerSnapshot?> CustomerAsync(PaymentServices services, string tenantId, string customerId) =>
        services.Grains.GetGrain<ICustomerGrain>(PlatformIds.CustomerKey(tenantId, customerId)).GetAsync();

    /// <summary>The body's customer must be named and be the caller tenant's; another tenant's is simply not found.</summary>
    private static async Task<ProblemHttpResult?> RequireCustomerAsync(PaymentServices services, string tenantId, string? customerId)
    {
        if (customerId is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "customer is required.", "customer");
        }
        return PlatformIds.IsCustomerId(customerId) && await CustomerAsync(services, tenantId, customerId) is not null
            ? null
            : Problems.Result(404, ErrorCodes.ResourceMissing, "No such customer.", "customer");
    }

    private static ProblemHttpResult? RequireIdempotencyKey(string? idempotencyKey) =>
        idempotencyKey is null
            ? Problems.Result(400, ErrorCodes.ParameterMissing,
                "This request moves money: send an Idempotency-Key header, and the same key when you retry.", "Idempotency-Key")
            : Validation.IdempotencyKey(idempotencyKey);

    private static ProblemHttpResult? Amount(string param, long? amount, bool required) => amount switch
    {
        null when required => Problems.Result(400, ErrorCodes.ParameterMissing, $"{param} is required.", param),
        _ => Validation.Amount(param, amount, minimum: 1),
    };

    private static ProblemHttpResult? PaymentMethodParam(string? paymentMethod) =>
        paymentMethod is null || IsStripeId(paymentMethod, "pm_") ? null
        : Problems.Invalid("payment_method", "payment_method is the id of a payment method (pm_…) attached to the customer.");

    private static ProblemHttpResult? ReservedMetadata(IReadOnlyDictionary<string, string>? metadata) =>
        metadata?.Keys.FirstOrDefault(ReservedMetadataKeys.Contains) is { } reserved
            ? Problems.Invalid($"metadata[{reserved}]", $"metadata key {reserved} is set by the platform.")
            : null;

    private static bool IsStripeId(string value, string prefix) =>
        value.Length > prefix.Length && value.Length <= 255 && value.StartsWith(prefix, StringComparison.Ordinal)
        && value.AsSpan().IndexOfAnyExcept(StripeIdChars) < 0;
}
