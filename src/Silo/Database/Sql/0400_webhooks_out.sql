-- Outgoing webhooks. platform_events is each tenant's event log (listed by GET /v1/events, kept for
-- Webhooks:EventRetention, 30 days, purged by the TenantEventsGrain's daily reminder).
-- platform_webhook_deliveries is every endpoint's durable queue and history: one row per (endpoint,
-- event), written only by that endpoint's grain; pending rows are what survives a silo restart.
CREATE TABLE IF NOT EXISTS platform_events (
  id         text        PRIMARY KEY,      -- evt_…, made by the publisher: republishing is idempotent
  tenant_id  text        NOT NULL,
  seq        bigserial   NOT NULL,         -- publication order; the list cursor
  type       text        NOT NULL,
  created_at timestamptz NOT NULL,
  data       jsonb       NOT NULL          -- data.object: the resource as the API shows it
);

CREATE INDEX IF NOT EXISTS platform_events_tenant_order ON platform_events (tenant_id, seq DESC);
CREATE INDEX IF NOT EXISTS platform_events_tenant_type_order ON platform_events (tenant_id, type, seq DESC);
CREATE INDEX IF NOT EXISTS platform_events_tenant_created ON platform_events (tenant_id, created_at);

CREATE TABLE IF NOT EXISTS platform_webhook_deliveries (
  id              text        PRIMARY KEY, -- whd_…, sent as Platform-Delivery-Id
  tenant_id       text        NOT NULL,
  endpoint_id     text        NOT NULL,
  -- Purging an event purges its deliveries; a delivery is never pending for anywhere near 30 days.
  event_id        text        NOT NULL REFERENCES platform_events (id) ON DELETE CASCADE,
  seq             bigserial   NOT NULL,    -- queue order: first attempts go out in publication order
  status          smallint    NOT NULL,    -- 1 pending, 2 succeeded, 3 failed (WebhookDeliveryStatus)
  attempts        jsonb       NOT NULL DEFAULT '[]'::jsonb,  -- [{number, at, status_code, latency_ms, error}]
  attempt_count   int         NOT NULL DEFAULT 0,
  max_attempts    int         NOT NULL,
  next_attempt_at timestamptz NULL,
  created_at      timestamptz NOT NULL,
  UNIQUE (endpoint_id, event_id)           -- at most one delivery of an event per endpoint
);

CREATE INDEX IF NOT EXISTS platform_webhook_deliveries_due
  ON platform_webhook_deliveries (endpoint_id, next_attempt_at) WHERE status = 1;
CREATE INDEX IF NOT EXISTS platform_webhook_deliveries_endpoint_order
  ON platform_webhook_deliveries (endpoint_id, seq DESC);
CREATE INDEX IF NOT EXISTS platform_webhook_deliveries_event ON platform_webhook_deliveries (event_id);
