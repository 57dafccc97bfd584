-- pgbench script: the raw database cost of what the platform does per request of 100 events, with
-- nothing in front: one multi-row INSERT ... ON CONFLICT DO NOTHING RETURNING into a table shaped and
-- indexed like usage_events, every row new (ids from a per-client counter and random suffix).
\set c random(1, 200)
INSERT INTO bench_usage_events (tenant_id, event_id, customer_id, metric, quantity, ts, properties)
SELECT 'ten_bench', :client_id || '-' || md5(random()::text) || '-' || g, 'cus_' || :c, 'api_calls', (g % 5) + 1,
       now(), jsonb_build_object('region', 'r' || (g % 3))
FROM generate_series(1, 100) g
ON CONFLICT (tenant_id, event_id) DO NOTHING
RETURNING tenant_id, event_id, seq;
