-- The listing order of resources that grains own (tenants, customers). Grains keep their state in
-- Orleans grain storage; this table only remembers which ids exist per scope and in what order they
-- were created, so that lists page by a cursor (Stripe's starting_after) without a grain holding them all.
CREATE TABLE IF NOT EXISTS platform_resource_index (
  scope      text        NOT NULL,  -- 'platform' for tenants, the tenant id for customers
  kind       text        NOT NULL,  -- 'tenant', 'customer'
  id         text        NOT NULL,
  seq        bigserial   NOT NULL,  -- creation order; the list cursor
  created_at timestamptz NOT NULL,
  PRIMARY KEY (scope, kind, id)
);

CREATE INDEX IF NOT EXISTS platform_resource_index_order
  ON platform_resource_index (scope, kind, seq DESC);
