-- Money adjustments on invoices (docs/INVOICES.md "Adjustments"): one-off and proration invoice items, coupons, tax
-- rates, the customer's balance ledger, credit grants and credit notes. Every figure an invoice shows is kept on it
-- (lines with their discount and tax amounts, the rates and coupon terms used, the grants spent), so a bill is
-- reproducible from its own rows, the usage log and the plan, and never changes after finalization.

-- One-off invoices (POST /v1/invoices) have no subscription or plan; their period is the moment they were made.
ALTER TABLE invoices ALTER COLUMN subscription_id DROP NOT NULL;
ALTER TABLE invoices ALTER COLUMN plan_id DROP NOT NULL;
ALTER TABLE invoices
  ADD COLUMN IF NOT EXISTS description                       text   NULL,
  ADD COLUMN IF NOT EXISTS total_discount                    bigint NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS tax                               bigint NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS total_excluding_tax               bigint NULL,
  ADD COLUMN IF NOT EXISTS credits_applied                   bigint NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS starting_balance                  bigint NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS ending_balance                    bigint NULL,
  ADD COLUMN IF NOT EXISTS pre_payment_credit_notes_amount   bigint NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS post_payment_credit_notes_amount  bigint NOT NULL DEFAULT 0,
  -- The inputs the totals were computed from: coupon terms, default tax rates, tax exemption, grants spent.
  ADD COLUMN IF NOT EXISTS adjustments                       jsonb  NOT NULL DEFAULT '{}';
UPDATE invoices SET total_excluding_tax = total WHERE total_excluding_tax IS NULL;
ALTER TABLE invoices ALTER COLUMN total_excluding_tax SET NOT NULL;
ALTER TABLE invoices ALTER COLUMN total_excluding_tax SET DEFAULT 0;

-- The first checks allowed no negative subtotal or total (a proration credit makes one) and no zero-length period.
DO $$
DECLARE c record;
BEGIN
  FOR c IN SELECT conname, conrelid::regclass::text AS rel FROM pg_constraint
           WHERE conrelid IN ('invoices'::regclass, 'invoice_lines'::regclass) AND contype = 'c'
             AND (pg_get_constraintdef(oid) LIKE '%subtotal >= 0%' OR pg_get_constraintdef(oid) LIKE '%period_end > period_start%'
                  OR pg_get_constraintdef(oid) LIKE '%amount >= 0%' OR pg_get_constraintdef(oid) LIKE '%''usage''%')
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.rel, c.conname);
  END LOOP;
END
$$;
ALTER TABLE invoices ADD CONSTRAINT invoices_period CHECK (period_end >= period_start);
ALTER TABLE invoices ADD CONSTRAINT invoices_amounts CHECK (
  amount_due >= 0 AND amount_paid >= 0 AND amount_remaining >= 0 AND total_discount >= 0 AND credits_applied >= 0
  AND pre_payment_credit_notes_amount >= 0 AND post_payment_credit_notes_amount >= 0
  AND pre_payment_credit_notes_amount + post_payment_credit_notes_amount <= greatest(total, 0));
ALTER TABLE invoices ADD CONSTRAINT invoices_subscription_or_one_off CHECK ((subscription_id IS NULL) = (plan_id IS NULL));

ALTER TABLE invoice_lines
  ADD COLUMN IF NOT EXISTS discount_amount bigint  NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS tax_amounts     jsonb   NOT NULL DEFAULT '[]',
  ADD COLUMN IF NOT EXISTS invoice_item_id text    NULL,
  ADD COLUMN IF NOT EXISTS proration       boolean NOT NULL DEFAULT false,
  ADD COLUMN IF NOT EXISTS plan_id         text    NULL;
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_type CHECK (type IN ('subscription', 'usage', 'invoiceitem'));
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_discount CHECK (discount_amount >= 0 AND discount_amount <= greatest(amount, 0));

-- Finalized invoices stay frozen; the new totals with them. amount_due moves only by a pre-payment credit note, by
-- exactly its amount (amount_due + pre_payment_credit_notes_amount is constant).
CREATE OR REPLACE FUNCTION invoices_frozen_when_finalized() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'invoice % is finalized: it cannot be deleted', OLD.id USING ERRCODE = 'P0001';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status <> 'draft' AND (
       NEW.status = 'draft'
    OR NEW.number IS DISTINCT FROM OLD.number
    OR NEW.number_seq IS DISTINCT FROM OLD.number_seq
    OR NEW.customer_id IS DISTINCT FROM OLD.customer_id
    OR NEW.subscription_id IS DISTINCT FROM OLD.subscription_id
    OR NEW.plan_id IS DISTINCT FROM OLD.plan_id
    OR NEW.pricing IS DISTINCT FROM OLD.pricing
    OR NEW.trial IS DISTINCT FROM OLD.trial
    OR NEW.currency IS DISTINCT FROM OLD.currency
    OR NEW.period_start IS DISTINCT FROM OLD.period_start
    OR NEW.period_end IS DISTINCT FROM OLD.period_end
    OR NEW.subtotal IS DISTINCT FROM OLD.subtotal
    OR NEW.total IS DISTINCT FROM OLD.total
    OR NEW.total_discount IS DISTINCT FROM OLD.total_discount
    OR NEW.tax IS DISTINCT FROM OLD.tax
    OR NEW.total_excluding_tax IS DISTINCT FROM OLD.total_excluding_tax
    OR NEW.credits_applied IS DISTINCT FROM OLD.credits_applied
    OR NEW.starting_balance IS DISTINCT FROM OLD.starting_balance
    OR NEW.ending_balance IS DISTINCT FROM OLD.ending_balance
    OR NEW.adjustments IS DISTINCT FROM OLD.adjustments
    OR NEW.description IS DISTINCT FROM OLD.description
    OR NEW.amount_due + NEW.pre_payment_credit_notes_amount IS DISTINCT FROM OLD.amount_due + OLD.pre_payment_credit_notes_amount
    OR NEW.collection_method IS DISTINCT FROM OLD.collection_method
    OR NEW.finalized_at IS DISTINCT FROM OLD.finalized_at
    OR NEW.created IS DISTINCT FROM OLD.created
    OR (OLD.status IN ('paid', 'void') AND NEW.status IS DISTINCT FROM OLD.status)) THEN
    RAISE EXCEPTION 'invoice % is finalized: its number, lines and totals are frozen', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;

-- The customer's billing row: the currency fixed by its first invoice (or first charge, grant or balance entry), its
-- balance (negative: credit it holds, as at Stripe) and tax exemption. Every balance or grant change locks this row
-- first, so a customer's ledger is written one change at a time.
CREATE TABLE IF NOT EXISTS customer_billing (
  tenant_id    text        NOT NULL,
  customer_id  text        NOT NULL,
  currency     text        NULL,
  balance      bigint      NOT NULL DEFAULT 0,
  balance_seq  bigint      NOT NULL DEFAULT 0,
  tax_exempt   text        NOT NULL DEFAULT 'none' CHECK (tax_exempt IN ('none', 'exempt', 'reverse')),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, customer_id)
);

-- Append-only: each entry's ending_balance is the previous one's plus its amount (seq orders a customer's entries).
CREATE TABLE IF NOT EXISTS customer_balance_transactions (
  tenant_id       text        NOT NULL,
  id              text        NOT NULL,
  customer_id     text        NOT NULL,
  seq             bigint      NOT NULL,
  amount          bigint      NOT NULL CHECK (amount <> 0),
  currency        text        NOT NULL,
  ending_balance  bigint      NOT NULL,
  type            text        NOT NULL CHECK (type IN ('adjustment', 'applied_to_invoice', 'unapplied_from_invoice', 'invoice_too_small', 'credit_note')),
  invoice_id      text        NULL,
  credit_note_id  text        NULL,
  description     text        NULL,
  created         timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, customer_id, seq)
);

CREATE OR REPLACE FUNCTION append_only_ledger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'P0001';
END
$$;
DROP TRIGGER IF EXISTS customer_balance_transactions_append_only ON customer_balance_transactions;
CREATE TRIGGER customer_balance_transactions_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON customer_balance_transactions
  FOR EACH STATEMENT EXECUTE FUNCTION append_only_ledger();

-- One-off charges and prorations, pending until an invoice takes them (invoice_id set in that invoice's
-- finalization, or at a one-off invoice's creation): taken once, by one invoice.
CREATE TABLE IF NOT EXISTS invoice_items (
  tenant_id        text        NOT NULL,
  id               text        NOT NULL,
  customer_id      text        NOT NULL,
  subscription_id  text        NULL,
  plan_id          text        NULL,
  amount           bigint      NOT NULL,
  currency         text        NOT NULL,
  description      text        NOT NULL,
  proration        boolean     NOT NULL DEFAULT false,
  period_start     timestamptz NOT NULL,
  period_end       timestamptz NOT NULL,
  tax_rates        jsonb       NOT NULL DEFAULT '[]',
  metadata         jsonb       NOT NULL DEFAULT '{}',
  invoice_id       text        NULL,
  deleted_at       timestamptz NULL,
  created          timestamptz NOT NULL,
  seq              bigint      GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (tenant_id, id),
  CHECK (invoice_id IS NULL OR deleted_at IS NULL)
);
CREATE INDEX IF NOT EXISTS invoice_items_pending ON invoice_items (tenant_id, customer_id, seq) WHERE invoice_id IS NULL AND deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS invoice_items_invoice ON invoice_items (tenant_id, invoice_id) WHERE invoice_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS invoice_items_order ON invoice_items (tenant_id, seq DESC);

CREATE TABLE IF NOT EXISTS coupons (
  tenant_id           text          NOT NULL,
  id                  text          NOT NULL,
  name                text          NULL,
  percent_off         numeric(7,4)  NULL CHECK (percent_off > 0 AND percent_off <= 100),
  amount_off          bigint        NULL CHECK (amount_off > 0),
  currency            text          NULL,
  duration            text          NOT NULL CHECK (duration IN ('once', 'repeating', 'forever')),
  duration_in_months  integer       NULL CHECK (duration_in_months > 0),
  max_redemptions     integer       NULL CHECK (max_redemptions > 0),
  times_redeemed      integer       NOT NULL DEFAULT 0,
  redeem_by           timestamptz   NULL,
  applies_to          text[]        NOT NULL DEFAULT '{}',
  deleted             boolean       NOT NULL DEFAULT false,
  metadata            jsonb         NOT NULL DEFAULT '{}',
  created             timestamptz   NOT NULL,
  seq                 bigint        GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (tenant_id, id),
  CHECK ((percent_off IS NULL) <> (amount_off IS NULL)),
  CHECK ((amount_off IS NULL) = (currency IS NULL)),
  CHECK ((duration = 'repeating') = (duration_in_months IS NOT NULL)),
  CHECK (max_redemptions IS NULL OR times_redeemed <= max_redemptions)
);

CREATE TABLE IF NOT EXISTS tax_rates (
  tenant_id     text          NOT NULL,
  id            text          NOT NULL,
  display_name  text          NOT NULL,
  percentage    numeric(7,4)  NOT NULL CHECK (percentage >= 0 AND percentage <= 100),
  inclusive     boolean       NOT NULL,
  jurisdiction  text          NULL,
  country       text          NULL,
  active        boolean       NOT NULL DEFAULT true,
  is_default    boolean       NOT NULL DEFAULT false,
  created       timestamptz   NOT NULL,
  seq           bigint        GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE IF NOT EXISTS credit_grants (
  tenant_id     text        NOT NULL,
  id            text        NOT NULL,
  customer_id   text        NOT NULL,
  name          text        NULL,
  amount        bigint      NOT NULL CHECK (amount > 0),
  remaining     bigint      NOT NULL,
  currency      text        NOT NULL,
  applies_to    text        NOT NULL CHECK (applies_to IN ('metered', 'all')),
  priority      integer     NOT NULL DEFAULT 50 CHECK (priority BETWEEN 0 AND 100),
  category      text        NOT NULL CHECK (category IN ('paid', 'promotional')),
  expires_at    timestamptz NULL,
  effective_at  timestamptz NULL,
  voided_at     timestamptz NULL,
  invoice_id    text        NULL,
  metadata      jsonb       NOT NULL DEFAULT '{}',
  created       timestamptz NOT NULL,
  seq           bigint      GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (tenant_id, id),
  CHECK (remaining >= 0 AND remaining <= amount)
);
CREATE INDEX IF NOT EXISTS credit_grants_customer ON credit_grants (tenant_id, customer_id, seq);

-- Credit notes: numbered after their invoice (ACME-000042-CN-01); the invoice grain is their only writer.
CREATE TABLE IF NOT EXISTS credit_notes (
  tenant_id           text        NOT NULL,
  id                  text        NOT NULL,
  number              text        NOT NULL,
  invoice_id          text        NOT NULL,
  customer_id         text        NOT NULL,
  amount              bigint      NOT NULL CHECK (amount > 0),
  currency            text        NOT NULL,
  pre_payment_amount  bigint      NOT NULL DEFAULT 0 CHECK (pre_payment_amount >= 0),
  refund_amount       bigint      NOT NULL DEFAULT 0 CHECK (refund_amount >= 0),
  credit_amount       bigint      NOT NULL DEFAULT 0 CHECK (credit_amount >= 0),
  refund_id           text        NULL,
  reason              text        NULL,
  memo                text        NULL,
  status              text        NOT NULL CHECK (status IN ('issued', 'void')),
  metadata            jsonb       NOT NULL DEFAULT '{}',
  created             timestamptz NOT NULL,
  voided_at           timestamptz NULL,
  seq                 bigint      GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  CHECK (pre_payment_amount + refund_amount + credit_amount = amount),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
);
CREATE INDEX IF NOT EXISTS credit_notes_invoice ON credit_notes (tenant_id, invoice_id);
CREATE INDEX IF NOT EXISTS credit_notes_order ON credit_notes (tenant_id, seq DESC);
