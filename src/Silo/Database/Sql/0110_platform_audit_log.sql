-- The audit log: append-only, one hash chain per tenant (chain 'platform' for operator-level events).
-- Each row holds the hash of the row before it in its chain, so editing or deleting any row breaks
-- every link after it; GET /v1/audit_events/verify recomputes the chain and names the first break.
-- The AuditLogGrain of a chain is its only writer; the primary key (chain, seq) makes a second writer
-- (a duplicate activation during a partition) fail instead of forking the chain.
CREATE TABLE IF NOT EXISTS platform_audit_log (
  chain       text        NOT NULL,
  seq         bigint      NOT NULL,
  id          text        NOT NULL UNIQUE,
  occurred_at timestamptz NOT NULL,
  actor       text        NOT NULL,
  action      text        NOT NULL,
  subject     text        NOT NULL,
  request_id  text        NULL,
  ip          text        NULL,
  details     jsonb       NOT NULL,
  prev_hash   text        NOT NULL,
  hash        text        NOT NULL,
  PRIMARY KEY (chain, seq)
);

-- Append-only in the database too: changing history needs DDL (disabling these triggers), which a
-- compromised application role should not have, and which verify still catches.
CREATE OR REPLACE FUNCTION platform_audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'platform_audit_log is append-only (% refused)', TG_OP;
END
$$;

DROP TRIGGER IF EXISTS platform_audit_log_no_update ON platform_audit_log;
CREATE TRIGGER platform_audit_log_no_update
  BEFORE UPDATE OR DELETE ON platform_audit_log
  FOR EACH ROW EXECUTE FUNCTION platform_audit_log_append_only();

DROP TRIGGER IF EXISTS platform_audit_log_no_truncate ON platform_audit_log;
CREATE TRIGGER platform_audit_log_no_truncate
  BEFORE TRUNCATE ON platform_audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION platform_audit_log_append_only();
