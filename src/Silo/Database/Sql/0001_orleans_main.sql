-- 0001_orleans_main.sql
--
-- The query catalogue shared by the Orleans ADO.NET providers (invariant "Npgsql").
--
-- How the providers use it: at start-up each provider runs exactly
--     SELECT QueryKey, QueryText FROM OrleansQuery
-- (persistence narrows it with a WHERE on four keys), keeps the texts in memory, and from then on
-- only ever executes those texts with named parameters (@DeploymentId, @GrainIdHash, ...).
-- The providers never name any other table; everything else in 0002-0004 is ours to shape, as long
-- as every stored query keeps the parameter names and result column names the provider expects.
--
-- Conventions used by 0002-0004:
--   * Identifiers are unquoted, so PostgreSQL folds them to lower case (orleansquery.querykey).
--     The provider's own SELECT above is unquoted as well, so it finds this table.
--   * Result columns that the provider reads BY NAME are given quoted aliases spelled exactly as the
--     provider spells them ("Version", "NewGrainStateVersion", ...). Npgsql would also match the
--     lower-case names case-insensitively, but exact names leave nothing to chance.
--   * Query texts are stored with dollar quoting ($q$ ... $q$) so they need no quote doubling.
--   * Every file is safe to run again: tables and indexes use IF NOT EXISTS, functions use
--     CREATE OR REPLACE, and catalogue rows are upserted, so re-running a file refreshes the query
--     texts to the versions written here.
--   * Providers cache the texts when they start; a silo picks up changed texts on its next start.
--
-- This file must run before 0002-0004, which insert into OrleansQuery.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    -- The key the provider looks up, e.g. 'UpsertReminderRowKey'.
    QueryKey  varchar(64) NOT NULL,
    -- The SQL the provider executes. text rather than a bounded varchar: no query should ever be
    -- truncated or rejected because it grew a comment.
    QueryText text        NOT NULL,

    CONSTRAINT pk_orleansquery PRIMARY KEY (QueryKey)
);

COMMENT ON TABLE OrleansQuery IS
    'Named SQL texts loaded by the Orleans ADO.NET providers at start-up (see src/Silo/Database/Sql).';
