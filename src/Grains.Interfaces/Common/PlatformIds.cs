using System.Security.Cryptography;
using System.Text;

namespace Platform.Grains.Interfaces.Common;

/// <summary>
/// Prefixed identifiers in Stripe's style (<c>ten_…</c>, <c>cus_…</c>) and the compound grain keys
/// built from them. Keys are composed and parsed here only, never concatenated at call sites.
/// </summary>
public static class PlatformIds
{
    public const string TenantPrefix = "ten_";
    public const string CustomerPrefix = "cus_";
    public const string ApiKeyPrefix = "key_";
    public const string TenantSecretPrefix = "sk_";
    public const string CustomerKeyPrefix = "ckey_";
    public const string CustomerSecretPrefix = "cust_";
    public const string AuditEntryPrefix = "aud_";
    public const string WebhookEndpointPrefix = "we_";
    public const string EventPrefix = "evt_";
    public const string WebhookDeliveryPrefix = "whd_";
    public const string PaymentPrefix = "pay_";
    public const string RefundPrefix = "ref_";
    public const string PlanPrefix = "plan_";
    public const string SubscriptionPrefix = "sub_";
    public const string InvoicePrefix = "in_";
    public const string InvoiceLinePrefix = "il_";
    public const string TestClockPrefix = "clock_";
    public const string InvoiceItemPrefix = "ii_";
    public const string CouponPrefix = "co_";
    public const string TaxRatePrefix = "txr_";
    public const string BalanceTransactionPrefix = "cbtxn_";
    public const string CreditGrantPrefix = "credgr_";
    public const string CreditNotePrefix = "cn_";

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly System.Buffers.SearchValues<char> AlphabetChars = System.Buffers.SearchValues.Create(Alphabet);
    private const int RandomLength = 20;
    private const char KeySeparator = '/';

    public static string NewTenantId() => TenantPrefix + RandomToken(RandomLength);

    public static string NewCustomerId() => CustomerPrefix + RandomToken(RandomLength);

    public static string NewApiKeyId() => ApiKeyPrefix + RandomToken(RandomLength);

    public static string NewCustomerKeyId() => CustomerKeyPrefix + RandomToken(RandomLength);

    public static string NewAuditEntryId() => AuditEntryPrefix + RandomToken(RandomLength);

    public static string NewWebhookEndpointId() => WebhookEndpointPrefix + RandomToken(RandomLength);

    public static string NewEventId() => EventPrefix + RandomToken(RandomLength);

    public static string NewPlanId() => PlanPrefix + RandomToken(RandomLength);

    /// <summary>
    /// A customer has one subscription (see docs/PLANS.md), so its id is the customer's token under
    /// <c>sub_</c>: the id alone leads to the customer's grain, and it is a 404 in any other tenant.
    /// </summary>
    public static string SubscriptionIdOf(string customerId) =>
        IsCustomerId(customerId) ? SubscriptionPrefix + customerId[CustomerPrefix.Length..] : throw new ArgumentException("Not a customer id.", nameof(customerId));

    /// <summary>The customer whose subscription <paramref name="subscriptionId"/> is; null when it is no such id.</summary>
    public static string? CustomerIdOfSubscription(string? subscriptionId) =>
        HasShape(subscriptionId, SubscriptionPrefix) ? CustomerPrefix + subscriptionId![SubscriptionPrefix.Length..] : null;

    public static string NewWebhookDeliveryId() => WebhookDeliveryPrefix + RandomToken(RandomLength);

    /// <summary>
    /// A customer id derived from the tenant's Idempotency-Key, so that a retried create lands on the
    /// same grain and cannot create a second customer.
    /// </summary>
    public static string CustomerIdFor(string tenantId, string idempotencyKey) =>
        CustomerPrefix + DerivedToken(tenantId, "customer", idempotencyKey);

    /// <summary>A tenant id derived from the platform admin's Idempotency-Key (see <see cref="CustomerIdFor"/>).</summary>
    public static string TenantIdFor(string idempotencyKey) =>
        TenantPrefix + DerivedToken("platform", "tenant", idempotencyKey);

    /// <summary>
    /// A payment id derived from the tenant's Idempotency-Key: a retried create lands on the same
    /// PaymentIntentGrain, which answers with the first result instead of charging again.
    /// </summary>
    public static string PaymentIdFor(string tenantId, string idempotencyKey) =>
        PaymentPrefix + DerivedToken(tenantId, "payment", idempotencyKey);

    /// <summary>A refund id derived from the payment and the Idempotency-Key of the refund request.</summary>
    public static string RefundIdFor(string paymentKey, string idempotencyKey) =>
        RefundPrefix + DerivedToken(paymentKey, "refund", idempotencyKey);

    /// <summary>Base62 text from a cryptographic random source; 20 characters carry about 119 bits.</summary>
    public static string RandomToken(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        return new string(chars);
    }

    /// <summary>The one event a fact gives (e.g. a customer's erasure): a retried step publishes the same id, so once.</summary>
    public static string DerivedEventId(string tenantId, string fact) => EventPrefix + DerivedToken(tenantId, "event", fact);

    private static string DerivedToken(string scope, string purpose, string value)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{scope}\n{purpose}\n{value}"));
        var chars = new char[RandomLength];
        for (var i = 0; i < RandomLength; i++)
        {
            chars[i] = Alphabet[digest[i] % Alphabet.Length];
        }
        return new string(chars);
    }

    public static bool IsTenantId(string? value) => HasShape(value, TenantPrefix);

    public static bool IsCustomerId(string? value) => HasShape(value, CustomerPrefix);

    public static bool IsApiKeyId(string? value) => HasShape(value, ApiKeyPrefix);

    public static bool IsCustomerKeyId(string? value) => HasShape(value, CustomerKeyPrefix);

    public static bool IsAuditEntryId(string? value) => HasShape(value, AuditEntryPrefix);

    public static bool IsWebhookEndpointId(string? value) => HasShape(value, WebhookEndpointPrefix);

    public static bool IsEventId(string? value) => HasShape(value, EventPrefix);

    public static bool IsWebhookDeliveryId(string? value) => HasShape(value, WebhookDeliveryPrefix);

    public static bool IsPaymentId(string? value) => HasShape(value, PaymentPrefix);

    public static bool IsRefundId(string? value) => HasShape(value, RefundPrefix);

    public static bool IsPlanId(string? value) => HasShape(value, PlanPrefix);

    public static bool IsInvoiceId(string? value) => HasShape(value, InvoicePrefix);

    public static bool IsTestClockId(string? value) => HasShape(value, TestClockPrefix);

    public static string NewTestClockId() => TestClockPrefix + RandomToken(RandomLength);

    public static string NewInvoiceId() => InvoicePrefix + RandomToken(RandomLength);

    public static string NewInvoiceItemId() => InvoiceItemPrefix + RandomToken(RandomLength);

    public static string NewCouponId() => CouponPrefix + RandomToken(RandomLength);

    public static string NewTaxRateId() => TaxRatePrefix + RandomToken(RandomLength);

    public static string NewBalanceTransactionId() => BalanceTransactionPrefix + RandomToken(RandomLength);

    public static string NewCreditGrantId() => CreditGrantPrefix + RandomToken(RandomLength);

    public static string NewCreditNoteId() => CreditNotePrefix + RandomToken(RandomLength);

    /// <summary>An id derived from a fact (e.g. a plan change's proration line, an invoice's balance entry): a retried step writes the same row.</summary>
    public static string DerivedId(string prefix, string tenantId, string fact) => prefix + DerivedToken(tenantId, prefix, fact);

    public static bool IsInvoiceItemId(string? value) => HasShape(value, InvoiceItemPrefix);

    public static bool IsCouponId(string? value) => HasShape(value, CouponPrefix);

    public static bool IsTaxRateId(string? value) => HasShape(value, TaxRatePrefix);

    public static bool IsBalanceTransactionId(string? value) => HasShape(value, BalanceTransactionPrefix);

    public static bool IsCreditGrantId(string? value) => HasShape(value, CreditGrantPrefix);

    public static bool IsCreditNoteId(string? value) => HasShape(value, CreditNotePrefix);

    private static bool HasShape(string? value, string prefix) =>
        value is not null
        && value.Length > prefix.Length
        && value.Length <= prefix.Length + 64
        && value.StartsWith(prefix, StringComparison.Ordinal)
        && value.AsSpan(prefix.Length).IndexOfAnyExcept(AlphabetChars) < 0;

    /// <summary>The key of every per-customer grain: <c>ten_…/cus_…</c>.</summary>
    public static string CustomerKey(string tenantId, string customerId) => tenantId + KeySeparator + customerId;

    public static (string TenantId, string CustomerId) ParseCustomerKey(string key) =>
        ParseTenantScopedKey(key, IsCustomerId, "customer");

    /// <summary>The key of a tenant's webhook endpoint grain: <c>ten_…/we_…</c>.</summary>
    public static string WebhookEndpointKey(string tenantId, string endpointId) => tenantId + KeySeparator + endpointId;

    public static (string TenantId, string EndpointId) ParseWebhookEndpointKey(string key) =>
        ParseTenantScopedKey(key, IsWebhookEndpointId, "webhook endpoint");

    private static (string TenantId, string ChildId) ParseTenantScopedKey(string key, Func<string, bool> isChild, string what)
    {
        var at = key.IndexOf(KeySeparator, StringComparison.Ordinal);
        if (at <= 0 || !IsTenantId(key[..at]) || !isChild(key[(at + 1)..]))
        {
            throw new ArgumentException($"'{key}' is not a {what} grain key.", nameof(key));
        }
        return (key[..at], key[(at + 1)..]);
    }

    /// <summary>The key of a payment's grain: <c>ten_…/pay_…</c>, so another tenant's payment id names an empty grain.</summary>
    public static string PaymentKey(string tenantId, string paymentId) => tenantId + KeySeparator + paymentId;

    public static (string TenantId, string PaymentId) ParsePaymentKey(string key) =>
        ParseTenantScopedKey(key, IsPaymentId, "payment");

    /// <summary>A refund's own scope in the resource index, <c>ten_…/ref_…</c>: where its payment is looked up.</summary>
    public static string RefundKey(string tenantId, string refundId) => tenantId + KeySeparator + refundId;

    /// <summary>
    /// The invoice of a subscription's period, derived from (tenant, subscription, period start): a replayed
    /// roll-over names the same invoice grain, so a period can never get two invoices.
    /// </summary>
    public static string InvoiceIdFor(string tenantId, string subscriptionId, DateTimeOffset periodStart) =>
        InvoicePrefix + DerivedToken(tenantId, "invoice", subscriptionId + "@" + periodStart.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Our id of a Stripe invoice mirrored into our list, derived from (tenant, Stripe's id): every event about it names
    /// the same invoice grain, however often or in whatever order it arrives.
    /// </summary>
    public static string MirroredInvoiceIdFor(string tenantId, string stripeInvoiceId) =>
        InvoicePrefix + DerivedToken(tenantId, "stripe_invoice", stripeInvoiceId);

    /// <summary>A line's id: the invoice and the line's position, so recomputing a draft keeps its line ids.</summary>
    public static string InvoiceLineIdFor(string invoiceId, int position) =>
        InvoiceLinePrefix + DerivedToken(invoiceId, "line", position.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The key of an invoice's grain: <c>ten_…/in_…</c>; another tenant's invoice id names an empty grain.</summary>
    public static string InvoiceKey(string tenantId, string invoiceId) => tenantId + KeySeparator + invoiceId;

    public static (string TenantId, string InvoiceId) ParseInvoiceKey(string key) =>
        ParseTenantScopedKey(key, IsInvoiceId, "invoice");

    /// <summary>The key of a test clock's grain: <c>ten_…/clock_…</c>; another tenant's clock id names an empty grain.</summary>
    public static string TestClockKey(string tenantId, string clockId) => tenantId + KeySeparator + clockId;

    public static (string TenantId, string ClockId) ParseTestClockKey(string key) =>
        ParseTenantScopedKey(key, IsTestClockId, "test clock");
}
