using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Platform.Api.Auth;
using Platform.Api.Common;
using Platform.Api.Errors;
using Platform.Api.Invoices;
using Platform.Grains.Interfaces.Adjustments;
using Platform.Grains.Interfaces.Common;
using Platform.Grains.Interfaces.Customers;
using Platform.Grains.Interfaces.Invoices;

namespace Platform.Api.Adjustments;

/// <summary>
/// Money adjustments (docs/INVOICES.md "Adjustments"): coupons, tax rates, one-off invoice items and invoices, credit
/// notes, the customer's balance ledger and credit grants. Reads for any tenant key, writes for write and admin keys;
/// everything is scoped by the caller's tenant (another tenant's id names nothing here: 404).
/// </summary>
public static class AdjustmentsApi
{
    public static IEndpointRouteBuilder MapAdjustmentsApi(this IEndpointRouteBuilder app)
    {
        var coupons = app.MapGroup("/v1/coupons").WithTags("Coupons");
        coupons.MapPost("/", CreateCoupon).WithName("CreateCoupon").WithSummary("Create a coupon (percent_off, or amount_off + currency)").RequireAuthorization(Policies.TenantWrite);
        coupons.MapGet("/", ListCoupons).WithName("ListCoupons").WithSummary("List coupons, newest first").RequireAuthorization(Policies.TenantRead);
        coupons.MapGet("/{id}", GetCoupon).WithName("GetCoupon").WithSummary("Retrieve a coupon").RequireAuthorization(Policies.TenantRead);
        coupons.MapDelete("/{id}", DeleteCoupon).WithName("DeleteCoupon").WithSummary("Delete a coupon: no new redemptions; discounts already given stay")
            .RequireAuthorization(Policies.TenantWrite);

        var taxRates = app.MapGroup("/v1/tax_rates").WithTags("Tax rates");
        taxRates.MapPost("/", CreateTaxRate).WithName("CreateTaxRate").WithSummary("Create a tax rate (default: true makes it one of the tenant's defaults)")
            .RequireAuthorization(Policies.TenantWrite);
        taxRates.MapGet("/", ListTaxRates).WithName("ListTaxRates").WithSummary("List tax rates, newest first").RequireAuthorization(Policies.TenantRead);
        taxRates.MapGet("/{id}", GetTaxRate).WithName("GetTaxRate").WithSummary("Retrieve a tax rate").RequireAuthorization(Policies.TenantRead);
        taxRates.MapPost("/{id}", UpdateTaxRate).WithName("UpdateTaxRate").WithSummary("Archive (active: false) or make default a tax rate")
            .RequireAuthorization(Policies.TenantWrite);

        var items = app.MapGroup("/v1/invoice_items").WithTags("Invoice items");
        items.MapPost("/", CreateInvoiceItem).WithName("CreateInvoiceItem").WithSummary("A one-off charge (or credit), pending until the customer's next invoice")
            .RequireAuthorization(Policies.TenantWrite);
        items.MapGet("/", ListInvoiceItems).WithName("ListInvoiceItems").WithSummary("List invoice items; filters customer, pending").RequireAuthorization(Policies.TenantRead);
        items.MapGet("/{id}", GetInvoiceItem).WithName("GetInvoiceItem").WithSummary("Retrieve an invoice item").RequireAuthorization(Policies.TenantRead);
        items.MapDelete("/{id}", DeleteInvoiceItem).WithName("DeleteInvoiceItem").WithSummary("Delete a pending invoice item").RequireAuthorization(Policies.TenantWrite);

        app.MapPost("/v1/invoices", CreateInvoice).WithTags("Invoices").WithName("CreateInvoice")
            .WithSummary("Bill the customer's pending invoice items now on a one-off invoice (auto_advance finalizes it at once)").RequireAuthorization(Policies.TenantWrite);

        var notes = app.MapGroup("/v1/credit_notes").WithTags("Credit notes");
        notes.MapPost("/", CreateCreditNote).WithName("CreateCreditNote")
            .WithSummary("Credit a finalized invoice: lowers an open invoice's amount due; refunds and/or credits the balance for a paid one")
            .RequireAuthorization(Policies.TenantWrite).WithMetadata(OpenApi.IdempotencyKeyRequired.Instance);
        notes.MapGet("/", ListCreditNotes).WithName("ListCreditNotes").WithSummary("List credit notes; filters invoice, customer").RequireAuthorization(Policies.TenantRead);
        notes.MapGet("/{id}", GetCreditNote).WithName("GetCreditNote").WithSummary("Retrieve a credit note").RequireAuthorization(Policies.TenantRead);
        notes.MapPost("/{id}/void", VoidCreditNote).WithName("VoidCreditNote").WithSummary("Void a credit note (not one whose refund was made)")
            .RequireAuthorization(Policies.TenantWrite);

        var customers = app.MapGroup("/v1/customers/{id}").WithTags("Customer balance");
        customers.MapGet("/billing", GetCustomerBilling).WithName("GetCustomerBilling").WithSummary("A customer's currency, balance and tax status")
            .RequireAuthorization(Policies.TenantRead);
        customers.MapPost("/billing", SetCustomerBilling).WithName("SetCustomerBilling")
            .WithSummary("Set a customer's tax status (tax_exempt: none | exempt | reverse) and/or redeem a coupon for its invoices (coupon)")
            .RequireAuthorization(Policies.TenantWrite);
        customers.MapDelete("/discount", DeleteCustomerDiscount).WithName("DeleteCustomerDiscount").WithSummary("Remove the customer's coupon")
            .RequireAuthorization(Policies.TenantWrite);
        customers.MapGet("/balance_transactions", ListBalanceTransactions).WithName("ListBalanceTransactions")
            .WithSummary("A customer's balance ledger, newest first").RequireAuthorization(Policies.TenantRead);
        customers.MapPost("/balance_transactions", CreateBalanceTransaction).WithName("CreateBalanceTransaction")
            .WithSummary("Adjust a customer's balance (negative amount: credit)").RequireAuthorization(Policies.TenantWrite);

        var grants = app.MapGroup("/v1/credit_grants").WithTags("Credit grants");
        grants.MapPost("/", CreateCreditGrant).WithName("CreateCreditGrant")
            .WithSummary("Grant credits (promotional: at once; paid: sold on a one-off invoice, effective when it is paid)").RequireAuthorization(Policies.TenantWrite);
        grants.MapGet("/", ListCreditGrants).WithName("ListCreditGrants").WithSummary("List credit grants; filter customer").RequireAuthorization(Policies.TenantRead);
        grants.MapGet("/{id}", GetCreditGrant).WithName("GetCreditGrant").WithSummary("Retrieve a credit grant").RequireAuthorization(Policies.TenantRead);
        grants.MapPost("/{id}/void", VoidCreditGrant).WithName("VoidCreditGrant").WithSummary("Void a credit grant: what is left of it is no longer spent")
            .RequireAuthorization(Policies.TenantWrite);
        return app;
    }

    // Coupons

    public static async Task<Results<Ok<CouponResource>, ProblemHttpResult>> CreateCoupon([AsParameters] AdjustmentServices services, CreateCouponRequest request)
    {
        var duration = request.Duration ?? CouponDurations.Once;
        if ((request.PercentOff is null) == (request.AmountOff is null))
        {
            return Problems.Invalid("percent_off", "Give exactly one of percent_off (0 < p ≤ 100) and amount_off (with currency).");
        }
        if (request.PercentOff is { } percent && (percent <= 0 || percent > 100 || decimal.Round(percent, 4) != percent))
        {
            return Problems.Invalid("percent_off", "percent_off must be above 0 and at most 100, with up to four decimals.");
        }
        if (request.AmountOff is not null && (Validation.Amount("amount_off", request.AmountOff, minimum: 1) ?? Validation.Currency("currency", request.Currency)) is { } badAmount)
        {
            return badAmount;
        }
        if (request.AmountOff is null && request.Currency is not null)
        {
            return Problems.Invalid("currency", "currency goes with amount_off only.");
        }
        if (!CouponDurations.IsKnown(duration))
        {
            return Problems.Invalid("duration", "duration must be one of: once, repeating, forever.");
        }
        if ((duration == CouponDurations.Repeating) != request.DurationInMonths.HasValue || request.DurationInMonths is < 1 or > 120)
        {
            return Problems.Invalid("duration_in_months", "duration_in_months (1–120) is required with duration repeating, and only with it.");
        }
        if (request.MaxRedemptions is < 1)
        {
            return Problems.Invalid("max_redemptions", "max_redemptions must be at least 1.");
        }
        if (request.AppliesTo is { } plans && plans.Any(p => !PlatformIds.IsPlanId(p)))
        {
            return Problems.Invalid("applies_to", "applies_to must list plan ids (plan_…).");
        }
        if ((Validation.Text("name", request.Name, 200) ?? Validation.Metadata(request.Metadata)) is { } invalid)
        {
            return invalid;
        }
        var redeemBy = request.RedeemBy is { } unix ? DateTimeOffset.FromUnixTimeSeconds(unix) : (DateTimeOffset?)null;
        var coupon = await services.Adjustments.CreateCouponAsync(new CouponDraft(request.Name, request.PercentOff, request.AmountOff,
            Currencies.Normalize(request.Currency), duration, request.DurationInMonths, request.MaxRedemptions, redeemBy,
            request.AppliesTo?.Distinct().ToArray() ?? [], request.Metadata ?? new Dictionary<string, string>()));
        return TypedResults.Ok(CouponResource.From(coupon));
    }

    public static async Task<Results<Ok<ListResource<CouponResource>>, ProblemHttpResult>> ListCoupons([AsParameters] AdjustmentServices services, [AsParameters] ListQuery list)
    {
        if (list.Validate(PlatformIds.IsCouponId, out var page) is { } invalid)
        {
            return invalid;
        }
        var result = await services.Adjustments.ListCouponsAsync(page);
        return TypedResults.Ok(new ListResource<CouponResource>("/v1/coupons", result.HasMore, result.Items.Select(CouponResource.From).ToArray()));
    }

    public static async Task<Results<Ok<CouponResource>, ProblemHttpResult>> GetCoupon([AsParameters] AdjustmentServices services, string id) =>
        PlatformIds.IsCouponId(id) && await services.Adjustments.GetCouponAsync(id) is { } coupon ? TypedResults.Ok(CouponResource.From(coupon)) : Problems.NotFound("coupon");

    public static async Task<Results<Ok<CouponResource>, ProblemHttpResult>> DeleteCoupon([AsParameters] AdjustmentServices services, string id) =>
        PlatformIds.IsCouponId(id) && await services.Adjustments.DeleteCouponAsync(id) is { } coupon ? TypedResults.Ok(CouponResource.From(coupon)) : Problems.NotFound("coupon");

    // Tax rates

    public static async Task<Results<Ok<TaxRateResource>, ProblemHttpResult>> CreateTaxRate([AsParameters] AdjustmentServices services, CreateTaxRateRequest request)
    {
        if (request.DisplayName is null || request.Percentage is null || request.Inclusive is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "display_name, percentage and inclusive are required.",
                request.DisplayName is null ? "display_name" : request.Percentage is null ? "percentage" : "inclusive");
        }
        if (request.Percentage is < 0 or > 100 || decimal.Round(request.Percentage.Value, 4) != request.Percentage)
        {
            return Problems.Invalid("percentage", "percentage must be between 0 and 100, with up to four decimals (19.5 = 19.5 %).");
        }
        if (request.Country is { } country && (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)))
        {
            return Problems.Invalid("country", "country must be a two-letter ISO 3166-1 code in capitals, such as DE.");
        }
        if ((Validation.Text("display_name", request.DisplayName, 100) ?? Validation.Text("jurisdiction", request.Jurisdiction, 100)) is { } invalid)
        {
            return invalid;
        }
        var rate = await services.Adjustments.CreateTaxRateAsync(new TaxRateDraft(request.DisplayName, request.Percentage.Value, request.Inclusive.Value,
            request.Jurisdiction, request.Country, request.Default ?? false));
        return TypedResults.Ok(TaxRateResource.From(rate));
    }

    public static async Task<Results<Ok<ListResource<TaxRateResource>>, ProblemHttpResult>> ListTaxRates([AsParameters] AdjustmentServices services, [AsParameters] ListQuery list)
    {
        if (list.Validate(PlatformIds.IsTaxRateId, out var page) is { } invalid)
        {
            return invalid;
        }
        var result = await services.Adjustments.ListTaxRatesAsync(page);
        return TypedResults.Ok(new ListResource<TaxRateResource>("/v1/tax_rates", result.HasMore, result.Items.Select(TaxRateResource.From).ToArray()));
    }

    public static async Task<Results<Ok<TaxRateResource>, ProblemHttpResult>> GetTaxRate([AsParameters] AdjustmentServices services, string id) =>
        PlatformIds.IsTaxRateId(id) && await services.Adjustments.GetTaxRateAsync(id) is { } rate ? TypedResults.Ok(TaxRateResource.From(rate)) : Problems.NotFound("tax_rate");

    public static async Task<Results<Ok<TaxRateResource>, ProblemHttpResult>> UpdateTaxRate([AsParameters] AdjustmentServices services, string id, UpdateTaxRateRequest request) =>
        PlatformIds.IsTaxRateId(id) && await services.Adjustments.UpdateTaxRateAsync(id, request.Active, request.Default) is { } rate
            ? TypedResults.Ok(TaxRateResource.From(rate)) : Problems.NotFound("tax_rate");

    // Invoice items and one-off invoices

    public static async Task<Results<Ok<InvoiceItemResource>, ProblemHttpResult>> CreateInvoiceItem([AsParameters] AdjustmentServices services, CreateInvoiceItemRequest request)
    {
        if (request.Amount is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "amount is required (minor units; negative for a credit).", "amount");
        }
        if (Math.Abs(request.Amount.Value) > Validation.MaxAmount || request.Amount == 0)
        {
            return Problems.Invalid("amount", $"amount must be a non-zero integer in minor units between -{Validation.MaxAmount} and {Validation.MaxAmount}.");
        }
        if ((Validation.Currency("currency", request.Currency) ?? Validation.Text("description", request.Description, 500) ?? Validation.Metadata(request.Metadata)) is { } invalid)
        {
            return invalid;
        }
        if (request.TaxRates is { } rates && rates.Any(r => !PlatformIds.IsTaxRateId(r)))
        {
            return Problems.Invalid("tax_rates", "tax_rates must list tax rate ids (txr_…).");
        }
        if (await RequireCustomerAsync(services, request.Customer) is { } missing)
        {
            return missing;
        }
        var item = await services.Adjustments.CreateInvoiceItemAsync(new InvoiceItemDraft(request.Customer!, request.Amount.Value, Currencies.Normalize(request.Currency)!,
            request.Description ?? "One-off charge", request.Metadata ?? new Dictionary<string, string>(), request.TaxRates ?? []));
        return TypedResults.Ok(InvoiceItemResource.From(item));
    }

    public static async Task<Results<Ok<ListResource<InvoiceItemResource>>, ProblemHttpResult>> ListInvoiceItems(
        [AsParameters] AdjustmentServices services, [AsParameters] InvoiceItemListParameters filters, [AsParameters] ListQuery list)
    {
        if (filters.Customer is not null && !PlatformIds.IsCustomerId(filters.Customer))
        {
            return Problems.Invalid("customer", "customer must be the id of one of your customers (cus_…).");
        }
        if (list.Validate(PlatformIds.IsInvoiceItemId, out var page) is { } invalid)
        {
            return invalid;
        }
        var result = await services.Adjustments.ListInvoiceItemsAsync(filters.Customer, filters.Pending, page);
        return TypedResults.Ok(new ListResource<InvoiceItemResource>("/v1/invoice_items", result.HasMore, result.Items.Select(InvoiceItemResource.From).ToArray()));
    }

    public static async Task<Results<Ok<InvoiceItemResource>, ProblemHttpResult>> GetInvoiceItem([AsParameters] AdjustmentServices services, string id) =>
        PlatformIds.IsInvoiceItemId(id) && await services.Adjustments.GetInvoiceItemAsync(id) is { } item
            ? TypedResults.Ok(InvoiceItemResource.From(item)) : Problems.NotFound("invoice_item");

    public static async Task<Results<Ok<InvoiceItemResource>, ProblemHttpResult>> DeleteInvoiceItem([AsParameters] AdjustmentServices services, string id) =>
        PlatformIds.IsInvoiceItemId(id) && await services.Adjustments.DeleteInvoiceItemAsync(id) is { } item
            ? TypedResults.Ok(InvoiceItemResource.From(item)) : Problems.NotFound("invoice_item");

    public static async Task<Results<Ok<InvoiceResource>, ProblemHttpResult>> CreateInvoice(
        [AsParameters] AdjustmentServices services, CreateInvoiceRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey)
    {
        var method = request.CollectionMethod ?? CollectionMethods.ChargeAutomatically;
        if (!CollectionMethods.IsKnown(method))
        {
            return Problems.Invalid("collection_method", "collection_method must be charge_automatically or send_invoice.");
        }
        if (request.DaysUntilDue is < 0 or > 365 || (request.DaysUntilDue is not null && method != CollectionMethods.SendInvoice))
        {
            return Problems.Invalid("days_until_due", "days_until_due (0–365) goes with collection_method send_invoice only.");
        }
        if (((request.Currency is null ? null : Validation.Currency("currency", request.Currency)) ?? Validation.Text("description", request.Description, 500)
            ?? Validation.Metadata(request.Metadata) ?? (idempotencyKey is null ? null : Validation.IdempotencyKey(idempotencyKey))) is { } invalid)
        {
            return invalid;
        }
        if (await RequireCustomerAsync(services, request.Customer) is { } missing)
        {
            return missing;
        }
        var tenantId = services.Http.User.RequireTenantId();
        // With an Idempotency-Key a retried request names the same invoice grain, which answers the invoice it made.
        var invoiceId = idempotencyKey is null ? PlatformIds.NewInvoiceId() : PlatformIds.DerivedId(PlatformIds.InvoicePrefix, tenantId, "one_off/" + idempotencyKey);
        var invoice = await services.Grains.GetGrain<IInvoiceGrain>(PlatformIds.InvoiceKey(tenantId, invoiceId)).CreateOneOffAsync(new OneOffInvoiceDraft(
            request.Customer!, Currencies.Normalize(request.Currency), method, request.DaysUntilDue ?? (method == CollectionMethods.SendInvoice ? 30 : null),
            request.AutoAdvance ?? true, request.Description, null, request.Metadata));
        return TypedResults.Ok(InvoiceResource.From(invoice));
    }

    // Credit notes

    public static async Task<Results<Ok<CreditNoteResource>, ProblemHttpResult>> CreateCreditNote(
        [AsParameters] AdjustmentServices services, CreateCreditNoteRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey)
    {
        if (idempotencyKey is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "A credit note moves money: send an Idempotency-Key header, and the same key when you retry.", "Idempotency-Key");
        }
        if (request.Invoice is null || !PlatformIds.IsInvoiceId(request.Invoice))
        {
            return Problems.Result(400, request.Invoice is null ? ErrorCodes.ParameterMissing : ErrorCodes.ParameterInvalid, "invoice must be the id of a finalized invoice (in_…).", "invoice");
        }
        if (request.Lines is { } lines)
        {
            if (lines.Count is 0 or > 100)
            {
                return Problems.Invalid("lines", "lines lists 1 to 100 invoice lines with the amount credited on each.");
            }
            for (var i = 0; i < lines.Count; i++)
            {
                if (lines[i]?.InvoiceLine is not { Length: > 0 and <= 255 } || lines[i].Amount is not { } each || Validation.Amount($"lines[{i}][amount]", each, minimum: 1) is not null)
                {
                    return Problems.Invalid($"lines[{i}]", "Each line names its invoice_line (il_…) and a positive amount in minor units.");
                }
            }
            var sum = lines.Sum(l => l.Amount!.Value);
            if (request.Amount is { } given && given != sum)
            {
                return Problems.Invalid("amount", $"amount ({given}) must be the sum of the lines' amounts ({sum}), or left out.");
            }
            request = request with { Amount = sum };
        }
        if (request.Amount is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "amount (or lines) is required (minor units).", "amount");
        }
        if ((Validation.IdempotencyKey(idempotencyKey) ?? Validation.Amount("amount", request.Amount, minimum: 1) ?? Validation.Amount("refund_amount", request.RefundAmount)
             ?? Validation.Amount("credit_amount", request.CreditAmount) ?? Validation.Text("memo", request.Memo, 500) ?? Validation.Metadata(request.Metadata)) is { } invalid)
        {
            return invalid;
        }
        if (request.Reason is not null && !CreditNoteReasons.All.Contains(request.Reason))
        {
            return Problems.Invalid("reason", $"reason must be one of: {string.Join(", ", CreditNoteReasons.All.Order())}.");
        }
        var tenantId = services.Http.User.RequireTenantId();
        var grain = services.Grains.GetGrain<IInvoiceGrain>(PlatformIds.InvoiceKey(tenantId, request.Invoice));
        if (await grain.GetAsync() is null)
        {
            return Problems.NotFound("invoice");
        }
        var note = await grain.CreateCreditNoteAsync(new CreditNoteDraft(PlatformIds.DerivedId(PlatformIds.CreditNotePrefix, tenantId, request.Invoice + "/" + idempotencyKey),
            request.Amount.Value, request.RefundAmount, request.CreditAmount, request.Reason, request.Memo, request.Metadata ?? new Dictionary<string, string>(),
            request.Lines?.Select(l => new CreditNoteLine(l.InvoiceLine!, l.Amount!.Value)).ToArray()));
        return TypedResults.Ok(CreditNoteResource.From(note));
    }

    public static async Task<Results<Ok<ListResource<CreditNoteResource>>, ProblemHttpResult>> ListCreditNotes(
        [AsParameters] AdjustmentServices services, [AsParameters] CreditNoteListParameters filters, [AsParameters] ListQuery list)
    {
        if (filters.Invoice is not null && !PlatformIds.IsInvoiceId(filters.Invoice))
        {
            return Problems.Invalid("invoice", "invoice must be an invoice id (in_…).");
        }
        if (filters.Customer is not null && !PlatformIds.IsCustomerId(filters.Customer))
        {
            return Problems.Invalid("customer", "customer must be a customer id (cus_…).");
        }
        if (list.Validate(PlatformIds.IsCreditNoteId, out var page) is { } invalid)
        {
            return invalid;
        }
        var result = await services.Invoices.ListCreditNotesAsync(filters.Invoice, filters.Customer, page);
        return TypedResults.Ok(new ListResource<CreditNoteResource>("/v1/credit_notes", result.HasMore, result.Items.Select(CreditNoteResource.From).ToArray()));
    }

    public static async Task<Results<Ok<CreditNoteResource>, ProblemHttpResult>> GetCreditNote([AsParameters] AdjustmentServices services, string id) =>
        PlatformIds.IsCreditNoteId(id) && await services.Invoices.GetCreditNoteAsync(id) is { } note ? TypedResults.Ok(CreditNoteResource.From(note)) : Problems.NotFound("credit_note");

    public static async Task<Results<Ok<CreditNoteResource>, ProblemHttpResult>> VoidCreditNote([AsParameters] AdjustmentServices services, string id)
    {
        if (!PlatformIds.IsCreditNoteId(id) || await services.Invoices.GetCreditNoteAsync(id) is not { } note)
        {
            return Problems.NotFound("credit_note");
        }
        var tenantId = services.Http.User.RequireTenantId();
        var voided = await services.Grains.GetGrain<IInvoiceGrain>(PlatformIds.InvoiceKey(tenantId, note.InvoiceId)).VoidCreditNoteAsync(id);
        return TypedResults.Ok(CreditNoteResource.From(voided));
    }

    // Customer balance

    public static async Task<Results<Ok<CustomerBillingResource>, ProblemHttpResult>> GetCustomerBilling([AsParameters] AdjustmentServices services, string id) =>
        await RequireCustomerAsync(services, id) is { } missing ? missing : TypedResults.Ok(CustomerBillingResource.From(await services.Adjustments.GetBillingAsync(id)));

    public static async Task<Results<Ok<CustomerBillingResource>, ProblemHttpResult>> SetCustomerBilling(
        [AsParameters] AdjustmentServices services, string id, SetCustomerBillingRequest request)
    {
        // The customer first: another tenant's id is a 404 whatever the body says.
        if (await RequireCustomerAsync(services, id) is { } missing)
        {
            return missing;
        }
        if (request.TaxExempt is null && request.Coupon is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "Give tax_exempt and/or coupon.", "tax_exempt");
        }
        if (request.TaxExempt is not null && !TaxExemptions.IsKnown(request.TaxExempt))
        {
            return Problems.Invalid("tax_exempt", "tax_exempt must be one of: none, exempt, reverse.");
        }
        if (request.Coupon is not null && !PlatformIds.IsCouponId(request.Coupon))
        {
            return Problems.Invalid("coupon", "coupon must be the id of one of your coupons (co_…).");
        }
        var billing = request.Coupon is null ? null : await services.Adjustments.SetCustomerCouponAsync(id, request.Coupon);
        if (request.TaxExempt is not null)
        {
            billing = await services.Adjustments.SetTaxExemptAsync(id, request.TaxExempt);
        }
        return TypedResults.Ok(CustomerBillingResource.From(billing!));
    }

    public static async Task<Results<Ok<CustomerBillingResource>, ProblemHttpResult>> DeleteCustomerDiscount([AsParameters] AdjustmentServices services, string id) =>
        await RequireCustomerAsync(services, id) is { } missing ? missing
        : TypedResults.Ok(CustomerBillingResource.From(await services.Adjustments.SetCustomerCouponAsync(id, null)));

    public static async Task<Results<Ok<ListResource<BalanceTransactionResource>>, ProblemHttpResult>> ListBalanceTransactions(
        [AsParameters] AdjustmentServices services, string id, [AsParameters] ListQuery list)
    {
        if (list.Validate(PlatformIds.IsBalanceTransactionId, out var page) is { } invalid)
        {
            return invalid;
        }
        if (await RequireCustomerAsync(services, id) is { } missing)
        {
            return missing;
        }
        var result = await services.Adjustments.ListBalanceTransactionsAsync(id, page);
        return TypedResults.Ok(new ListResource<BalanceTransactionResource>($"/v1/customers/{id}/balance_transactions", result.HasMore,
            result.Items.Select(BalanceTransactionResource.From).ToArray()));
    }

    public static async Task<Results<Ok<BalanceTransactionResource>, ProblemHttpResult>> CreateBalanceTransaction(
        [AsParameters] AdjustmentServices services, string id, CreateBalanceTransactionRequest request)
    {
        if (await RequireCustomerAsync(services, id) is { } missing)
        {
            return missing;
        }
        if (request.Amount is null or 0 || Math.Abs(request.Amount.Value) > Validation.MaxAmount)
        {
            return Problems.Invalid("amount", $"amount must be a non-zero integer in minor units between -{Validation.MaxAmount} and {Validation.MaxAmount} (negative: credit).");
        }
        if ((Validation.Currency("currency", request.Currency) ?? Validation.Text("description", request.Description, 350)) is { } invalid)
        {
            return invalid;
        }
        var entry = await services.Adjustments.AdjustBalanceAsync(id, request.Amount.Value, Currencies.Normalize(request.Currency)!, request.Description);
        return TypedResults.Ok(BalanceTransactionResource.From(entry));
    }

    // Credit grants

    public static async Task<Results<Ok<CreditGrantResource>, ProblemHttpResult>> CreateCreditGrant([AsParameters] AdjustmentServices services, CreateCreditGrantRequest request)
    {
        var appliesTo = request.AppliesTo ?? CreditGrantScopes.All;
        var category = request.Category ?? CreditGrantCategories.Promotional;
        if (request.Amount is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "amount is required (minor units).", "amount");
        }
        if ((Validation.Amount("amount", request.Amount, minimum: 1) ?? Validation.Currency("currency", request.Currency) ?? Validation.Text("name", request.Name, 100)
             ?? Validation.Metadata(request.Metadata)) is { } invalid)
        {
            return invalid;
        }
        if (!CreditGrantScopes.IsKnown(appliesTo))
        {
            return Problems.Invalid("applies_to", "applies_to must be metered (usage lines only) or all.");
        }
        if (!CreditGrantCategories.IsKnown(category))
        {
            return Problems.Invalid("category", "category must be paid or promotional.");
        }
        if (request.Priority is < 0 or > 100)
        {
            return Problems.Invalid("priority", "priority must be between 0 (spent first) and 100.");
        }
        if (await RequireCustomerAsync(services, request.Customer) is { } missing)
        {
            return missing;
        }
        var grant = await services.Adjustments.CreateCreditGrantAsync(new CreditGrantDraft(request.Customer!, request.Name, request.Amount.Value,
            Currencies.Normalize(request.Currency)!, appliesTo, request.Priority ?? 50, category,
            request.ExpiresAt is { } expires ? DateTimeOffset.FromUnixTimeSeconds(expires) : null, request.Metadata ?? new Dictionary<string, string>()));
        return TypedResults.Ok(CreditGrantResource.From(grant));
    }

    public static async Task<Results<Ok<ListResource<CreditGrantResource>>, ProblemHttpResult>> ListCreditGrants(
        [AsParameters] AdjustmentServices services, [FromQuery(Name = "customer")] string? customer, [AsParameters] ListQuery list)
    {
        if (customer is not null && !PlatformIds.IsCustomerId(customer))
        {
            return Problems.Invalid("customer", "customer must be a customer id (cus_…).");
        }
        if (list.Validate(PlatformIds.IsCreditGrantId, out var page) is { } invalid)
        {
            return invalid;
        }
        var result = await services.Adjustments.ListCreditGrantsAsync(customer, page);
        return TypedResults.Ok(new ListResource<CreditGrantResource>("/v1/credit_grants", result.HasMore, result.Items.Select(CreditGrantResource.From).ToArray()));
    }

    public static async Task<Results<Ok<CreditGrantResource>, ProblemHttpResult>> GetCreditGrant([AsParameters] AdjustmentServices services, string id) =>
        PlatformIds.IsCreditGrantId(id) && await services.Adjustments.GetCreditGrantAsync(id) is { } grant ? TypedResults.Ok(CreditGrantResource.From(grant)) : Problems.NotFound("credit_grant");

    public static async Task<Results<Ok<CreditGrantResource>, ProblemHttpResult>> VoidCreditGrant([AsParameters] AdjustmentServices services, string id) =>
        PlatformIds.IsCreditGrantId(id) && await services.Adjustments.VoidCreditGrantAsync(id) is { } grant ? TypedResults.Ok(CreditGrantResource.From(grant)) : Problems.NotFound("credit_grant");

    /// <summary>Null when <paramref name="customerId"/> is one of the caller's tenant's customers; else the refusal (400 missing, 404 unknown).</summary>
    private static async Task<ProblemHttpResult?> RequireCustomerAsync(AdjustmentServices services, string? customerId)
    {
        if (customerId is null)
        {
            return Problems.Result(400, ErrorCodes.ParameterMissing, "customer is required.", "customer");
        }
        if (!PlatformIds.IsCustomerId(customerId)
            || await services.Grains.GetGrain<ICustomerGrain>(PlatformIds.CustomerKey(services.Http.User.RequireTenantId(), customerId)).GetAsync() is null)
        {
            return Problems.NotFound("customer");
        }
        return null;
    }
}
