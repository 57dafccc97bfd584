-- Stripe's invoices of Stripe-managed subscriptions, mirrored from its webhooks into the same invoices table as ours,
-- so one list shows every invoice (docs/INVOICES.md "Stripe's invoices"). A mirrored row is written only by its
-- InvoiceGrain from Stripe's events (StripeInvoiceStore): inserted as a draft with its lines, then moved to Stripe's
-- status in the same transaction, so the frozen-when-finalized triggers of 0600/0610 hold for it unchanged.
ALTER TABLE invoices ADD COLUMN IF NOT EXISTS managed_by text NOT NULL DEFAULT 'platform';
ALTER TABLE invoices DROP CONSTRAINT IF EXISTS invoices_managed_by;
ALTER TABLE invoices ADD CONSTRAINT invoices_managed_by CHECK (managed_by IN ('platform', 'stripe'));
-- Stripe's own id (in_… at Stripe) and the version of the newest event applied: (Stripe's created, status rank, event id).
ALTER TABLE invoices ADD COLUMN IF NOT EXISTS stripe_invoice_id text NULL;
ALTER TABLE invoices ADD COLUMN IF NOT EXISTS stripe_event_created bigint NULL;
ALTER TABLE invoices ADD COLUMN IF NOT EXISTS stripe_event_rank integer NULL;
ALTER TABLE invoices ADD COLUMN IF NOT EXISTS stripe_event_id text NULL;
ALTER TABLE invoices DROP CONSTRAINT IF EXISTS invoices_stripe_mirror;
ALTER TABLE invoices ADD CONSTRAINT invoices_stripe_mirror CHECK ((managed_by = 'stripe') = (stripe_invoice_id IS NOT NULL));
CREATE UNIQUE INDEX IF NOT EXISTS invoices_stripe_invoice ON invoices (tenant_id, stripe_invoice_id) WHERE stripe_invoice_id IS NOT NULL;

-- One invoice per period holds for ours; Stripe may bill one subscription period twice (its first invoice and the
-- cycle's usage both start there), so the rule moves to a partial index on platform invoices.
DO $$
DECLARE c text;
BEGIN
  FOR c IN SELECT conname FROM pg_constraint
           WHERE conrelid = 'invoices'::regclass AND contype = 'u'
             AND pg_get_constraintdef(oid) = 'UNIQUE (tenant_id, subscription_id, period_start)' LOOP
    EXECUTE format('ALTER TABLE invoices DROP CONSTRAINT %I', c);
  END LOOP;
END
$$;
CREATE UNIQUE INDEX IF NOT EXISTS invoices_platform_period ON invoices (tenant_id, subscription_id, period_start) WHERE managed_by = 'platform';
