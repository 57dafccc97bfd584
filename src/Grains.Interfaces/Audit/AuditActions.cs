namespace Platform.Grains.Interfaces.Audit;

/// <summary>Audit action names: stored, so never renamed.</summary>
public static class AuditActions
{
    public const string TenantCreated = "tenant.created";
    public const string TenantRateLimitsChanged = "tenant.rate_limits_changed";
    public const string ApiKeyIssued = "api_key.issued";
    public const string ApiKeyRevoked = "api_key.revoked";
    public const string CustomerCreated = "customer.created";
    public const string CustomerUpdated = "customer.updated";
    public const string CustomerExported = "customer.exported";
    public const string CustomerErased = "customer.erased";
    public const string CustomerApiKeyIssued = "customer_api_key.issued";
    public const string CustomerApiKeyRevoked = "customer_api_key.revoked";
    public const string AuthenticationFailed = "authentication.failed";
    public const string RateLimitLockout = "rate_limit.lockout";
    public const string CardDataRejected = "card_data.rejected";
    public const string WebhookEndpointCreated = "webhook_endpoint.created";
    public const string WebhookEndpointDeleted = "webhook_endpoint.deleted";
    public const string WebhookEndpointSecretRotated = "webhook_endpoint.secret_rotated";
    public const string WebhookEndpointDisabled = "webhook_endpoint.disabled";
    public const string WebhookDeliveryRetried = "webhook_delivery.retried";
    public const string DataKeyRotationStarted = "data_key_rotation.started";
    public const string UsageEventDeadLettered = "usage_event.dead_lettered";
    public const string TenantPaymentLimitsChanged = "tenant.payment_limits_changed";
    public const string PaymentLimitExceeded = "payment.limit_exceeded";
    public const string StripeWebhookRefused = "stripe_webhook.refused";
    public const string StripeWebhookReplayed = "stripe_webhook.replayed";
    public const string InvoiceCreated = "invoice.created";
    public const string InvoiceFinalized = "invoice.finalized";
    public const string InvoicePaid = "invoice.paid";
    public const string InvoicePaymentFailed = "invoice.payment_failed";
    public const string InvoicePaymentActionRequired = "invoice.payment_action_required";
    public const string InvoiceVoided = "invoice.voided";
    public const string InvoiceMarkedUncollectible = "invoice.marked_uncollectible";
    public const string CreditNoteCreated = "credit_note.created";
    public const string CreditNoteVoided = "credit_note.voided";
    public const string TenantInvoiceSettingsChanged = "tenant.invoice_settings_changed";
    public const string CustomerDefaultPaymentMethodChanged = "customer.default_payment_method_changed";
    public const string TenantDunningPolicyChanged = "tenant.dunning_policy_changed";
    public const string TestClockCreated = "test_clock.created";
    public const string TestClockAdvanced = "test_clock.advanced";
    public const string PaymentCreated = "payment.created";
    public const string RefundCreated = "refund.created";
    public const string PlanCreated = "plan.created";
    public const string PlanArchived = "plan.archived";
    public const string PlanDeleted = "plan.deleted";
    public const string SubscriptionCreated = "subscription.created";
    public const string SubscriptionPlanChanged = "subscription.plan_changed";
    public const string SubscriptionCanceled = "subscription.canceled";
    public const string TenantKeysRevoked = "tenant.keys_revoked";
    public const string AddressBlocked = "address.blocked";
    public const string AddressUnblocked = "address.unblocked";
    public const string AuditExported = "audit.exported";
}
