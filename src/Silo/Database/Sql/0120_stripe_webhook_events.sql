-- Stripe's webhook events as received (POST /v1/stripe/webhook), one row per Stripe event id, written
-- before the 2xx (INSERT … ON CONFLICT DO NOTHING: a repeat delivery finds the row and has no second
-- effect). data holds only the reduced event (StripeEventData: ids, status, metadata, amounts), never
-- card data. Rows older than StripeWebhooks:Retention (35 days) are purged by the WebhookSweeperGrain.
CREATE TABLE IF NOT EXISTS platform_webhook_events (
  id              text        PRIMARY KEY,  -- Stripe's evt_…
  seq             bigserial   NOT NULL,     -- receipt order; the list cursor
  type            text        NOT NULL,
  created_at      timestamptz NOT NULL,     -- Stripe's created
  livemode        boolean     NOT NULL,
  data            jsonb       NOT NULL,
  status          smallint    NOT NULL,     -- 1 pending, 2 processed, 3 failed (StripeWebhookEventStatus)
  outcome         smallint    NULL,         -- 1 applied, 2 stale, 3 ignored (StripeEventOutcome)
  attempts        int         NOT NULL DEFAULT 0,
  last_error      text        NULL,
  received_at     timestamptz NOT NULL,
  processed_at    timestamptz NULL,
  next_attempt_at timestamptz NULL          -- pending rows only: when the sweeper retries
);

CREATE INDEX IF NOT EXISTS platform_webhook_events_order ON platform_webhook_events (seq DESC);
CREATE INDEX IF NOT EXISTS platform_webhook_events_status_order ON platform_webhook_events (status, seq DESC);
CREATE INDEX IF NOT EXISTS platform_webhook_events_due ON platform_webhook_events (next_attempt_at) WHERE status = 1;
CREATE INDEX IF NOT EXISTS platform_webhook_events_received ON platform_webhook_events (received_at);
