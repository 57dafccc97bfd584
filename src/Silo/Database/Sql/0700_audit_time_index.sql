-- The incident export reads the audit log by time window across chains (GET /v1/audit_events/export):
-- without this index every export scans the whole log.
CREATE INDEX IF NOT EXISTS platform_audit_log_occurred ON platform_audit_log (occurred_at, chain, seq);
