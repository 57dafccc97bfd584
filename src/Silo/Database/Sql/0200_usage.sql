-- The usage log: every accepted usage event, once. (tenant_id, event_id) is the primary key, so a
-- retried, replayed or raced event is refused by the database itself (INSERT ... ON CONFLICT DO NOTHING
-- RETURNING tells the writer which rows were new). Aggregates in UsageMeterGrain are derived from
-- these rows and rebuilt from them on activation.
CREATE TABLE IF NOT EXISTS usage_events (
  tenant_id   text          NOT NULL,
  event_id    text          NOT NULL,
  customer_id text          NOT NULL,
  metric      text          NOT NULL,
  quantity    numeric(38,9) NOT NULL,
  ts          timestamptz   NOT NULL,  -- the event's own time (it decides the billing period)
  properties  jsonb,                   -- null when the event had none
  -- The database's clock at insert: the forwarder's grace window is measured on one clock.
  received_at timestamptz   NOT NULL DEFAULT now(),
  -- Insert order: the tie-break for `latest` and the forwarding cursor.
  seq         bigint        GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (tenant_id, event_id)
);

-- Aggregates for one customer over a time range (activation rebuild, past periods).
CREATE INDEX IF NOT EXISTS usage_events_customer_time
  ON usage_events (tenant_id, customer_id, ts);

-- The per-tenant forwarding cursor (rows after a watermark, in insert order).
CREATE INDEX IF NOT EXISTS usage_events_tenant_seq
  ON usage_events (tenant_id, seq);

-- Retention deletes by event time across all tenants. BRIN, not B-tree: events arrive roughly in time
-- order, so a few pages summarise the whole table and inserts stay cheap on the hot path.
CREATE INDEX IF NOT EXISTS usage_events_ts_brin
  ON usage_events USING brin (ts);

-- How far each tenant's usage has been handed to the Stripe forwarder (the outbox watermark).
CREATE TABLE IF NOT EXISTS usage_forwarding (
  tenant_id     text        PRIMARY KEY,
  forwarded_seq bigint      NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
