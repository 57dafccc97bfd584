-- Invoices and their lines. The InvoiceGrain of an invoice (key ten_…/in_…) is the only writer of its rows;
-- lists read them here. Every figure is reproducible from the usage log and the plan: a usage line keeps the
-- quantity summed over the period, the pricing model, the tiers it used and its amount (docs/INVOICES.md).
CREATE TABLE IF NOT EXISTS invoices (
  tenant_id                  text        NOT NULL,
  id                         text        NOT NULL,
  customer_id                text        NOT NULL,
  subscription_id            text        NOT NULL,
  plan_id                    text        NOT NULL,
  status                     text        NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'void', 'uncollectible')),
  number                     text        NULL,
  number_seq                 bigint      NULL,
  currency                   text        NOT NULL,
  period_start               timestamptz NOT NULL,
  period_end                 timestamptz NOT NULL,
  subtotal                   bigint      NOT NULL,
  total                      bigint      NOT NULL,
  amount_due                 bigint      NOT NULL,
  amount_paid                bigint      NOT NULL DEFAULT 0,
  amount_remaining           bigint      NOT NULL,
  attempt_count              integer     NOT NULL DEFAULT 0,
  next_payment_attempt       timestamptz NULL,
  due_date                   timestamptz NULL,
  collection_method          text        NOT NULL CHECK (collection_method IN ('charge_automatically', 'send_invoice')),
  days_until_due             integer     NULL,
  trial                      boolean     NOT NULL DEFAULT false,
  -- The plan's pricing as the period closed (name, flat amount, usage charges): lines are priced from it.
  pricing                    jsonb       NOT NULL,
  finalizes_at               timestamptz NULL,
  finalized_at               timestamptz NULL,
  paid_at                    timestamptz NULL,
  voided_at                  timestamptz NULL,
  marked_uncollectible_at    timestamptz NULL,
  created                    timestamptz NOT NULL,
  metadata                   jsonb       NOT NULL DEFAULT '{}',
  payment_intent_id          text        NULL,
  -- Keys of the payment attempts already recorded ("pi|outcome|unix"): a replayed webhook changes nothing twice.
  payment_attempts           text[]      NOT NULL DEFAULT '{}',
  -- True once collection was handed the invoice (IInvoiceCollectionGrain.StartAsync answered).
  collection_started         boolean     NOT NULL DEFAULT false,
  -- Staged tenant events and audit entries (JSON), published after the commit and then cleared: an outbox.
  outbox                     jsonb       NOT NULL DEFAULT '[]',
  seq                        bigint      GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (tenant_id, id),
  -- One invoice per subscription period, whatever replays: the database refuses a second.
  UNIQUE (tenant_id, subscription_id, period_start),
  UNIQUE (tenant_id, number),
  CHECK (period_end > period_start),
  CHECK (subtotal >= 0 AND total >= 0 AND amount_due >= 0 AND amount_paid >= 0 AND amount_remaining >= 0),
  CHECK ((status = 'draft') = (number IS NULL))
);

-- Lists: newest first per tenant (the cursor is seq), by customer, by subscription.
CREATE INDEX IF NOT EXISTS invoices_tenant_order ON invoices (tenant_id, seq DESC);
CREATE INDEX IF NOT EXISTS invoices_customer_period ON invoices (tenant_id, customer_id, period_start);

CREATE TABLE IF NOT EXISTS invoice_lines (
  tenant_id     text          NOT NULL,
  invoice_id    text          NOT NULL,
  position      integer       NOT NULL,
  id            text          NOT NULL,
  type          text          NOT NULL CHECK (type IN ('subscription', 'usage')),
  description   text          NOT NULL,
  metric        text          NULL,
  quantity      numeric(38,9) NOT NULL,
  amount        bigint        NOT NULL CHECK (amount >= 0),
  pricing_model smallint      NULL,
  tiers         jsonb         NOT NULL DEFAULT '[]',
  period_start  timestamptz   NOT NULL,
  period_end    timestamptz   NOT NULL,
  PRIMARY KEY (tenant_id, invoice_id, position),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
);

-- Per tenant: the prefix of invoice numbers and the last number given. A finalization takes the next number in
-- its own transaction (this row's lock orders a tenant's finalizations), so a number exists only on a finalized
-- invoice: none is skipped, none given twice, and a retried finalization finds the number it committed.
CREATE TABLE IF NOT EXISTS invoice_numbering (
  tenant_id   text        PRIMARY KEY,
  prefix      text        NOT NULL,
  last_number bigint      NOT NULL DEFAULT 0 CHECK (last_number >= 0),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A finalized invoice is frozen: its number, lines and totals never change again and it is never deleted;
-- only its payment fields and status (open → paid | void | uncollectible, uncollectible → paid | void) move.
-- As for the audit log, changing that needs DDL, which the application role should not have.
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
    OR NEW.amount_due IS DISTINCT FROM OLD.amount_due
    OR NEW.collection_method IS DISTINCT FROM OLD.collection_method
    OR NEW.finalized_at IS DISTINCT FROM OLD.finalized_at
    OR NEW.created IS DISTINCT FROM OLD.created
    OR (OLD.status IN ('paid', 'void') AND NEW.status IS DISTINCT FROM OLD.status)) THEN
    RAISE EXCEPTION 'invoice % is finalized: its number, lines and totals are frozen', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS invoices_frozen ON invoices;
CREATE TRIGGER invoices_frozen
  BEFORE UPDATE OR DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION invoices_frozen_when_finalized();

CREATE OR REPLACE FUNCTION invoice_lines_frozen_when_finalized() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  invoice_status text;
  row_tenant text := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
  row_invoice text := CASE WHEN TG_OP = 'DELETE' THEN OLD.invoice_id ELSE NEW.invoice_id END;
BEGIN
  SELECT status INTO invoice_status FROM invoices WHERE tenant_id = row_tenant AND id = row_invoice;
  IF invoice_status IS DISTINCT FROM 'draft' OR (TG_OP = 'UPDATE' AND (OLD.tenant_id, OLD.invoice_id) IS DISTINCT FROM (NEW.tenant_id, NEW.invoice_id)) THEN
    RAISE EXCEPTION 'invoice % is finalized: its lines are frozen (% refused)', row_invoice, TG_OP USING ERRCODE = 'P0001';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;

DROP TRIGGER IF EXISTS invoice_lines_frozen ON invoice_lines;
CREATE TRIGGER invoice_lines_frozen
  BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines
  FOR EACH ROW EXECUTE FUNCTION invoice_lines_frozen_when_finalized();

CREATE OR REPLACE FUNCTION invoices_no_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% holds finalized invoices: TRUNCATE refused', TG_TABLE_NAME;
END
$$;

DROP TRIGGER IF EXISTS invoices_no_truncate ON invoices;
CREATE TRIGGER invoices_no_truncate
  BEFORE TRUNCATE ON invoices
  FOR EACH STATEMENT EXECUTE FUNCTION invoices_no_truncate();

DROP TRIGGER IF EXISTS invoice_lines_no_truncate ON invoice_lines;
CREATE TRIGGER invoice_lines_no_truncate
  BEFORE TRUNCATE ON invoice_lines
  FOR EACH STATEMENT EXECUTE FUNCTION invoices_no_truncate();
