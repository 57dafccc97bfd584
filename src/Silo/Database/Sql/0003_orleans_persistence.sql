-- 0003_orleans_persistence.sql
--
-- Grain state for Orleans.Persistence.AdoNet (AddAdoNetGrainStorage). Requires 0001 (OrleansQuery).
--
-- What the provider sends and reads (Orleans 10.4.2):
--   parameters   @GrainIdHash int, @GrainTypeHash int   (hashes computed by the provider)
--                @GrainIdN0 bigint, @GrainIdN1 bigint    (Guid halves; integer keys use N0 = 0,
--                                                          N1 = key; string keys use 0, 0)
--                @GrainTypeString text                   (grain type, generic arguments normalised)
--                @GrainIdExtensionString text or NULL    (string key, or key extension)
--                @ServiceId text                         (ClusterOptions.ServiceId)
--                @GrainStateVersion int or NULL          (the grain's etag; NULL = never read a row)
--                @PayloadBinary bytea                    (serialised state; write only)
--   results      ReadFromStorageKey: zero or one row, columns "PayloadBinary" and "Version" read by
--                  name. A row with a NULL payload is "no record" but its version still becomes the
--                  etag (this is what a cleared state looks like).
--                WriteToStorageKey: one row, column "NewGrainStateVersion" read by name.
--                ClearStorageKey / DeleteStorageKey: the first column of at most one row.
--   concurrency  Optimistic. The provider compares what comes back with the etag it sent: the same
--                value, NULL/empty, or no row at all while it held an etag means "someone else
--                wrote first" and it throws InconsistentStateException. So every query below returns
--                a NEW version on success and the old one / nothing on conflict.
--
-- The four identity columns plus service id identify a state row; the two hashes exist to make the
-- lookup index small. See the unique index below for why duplicates cannot occur.

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer     NOT NULL,
    GrainIdN0              bigint      NOT NULL,
    GrainIdN1              bigint      NOT NULL,
    GrainTypeHash          integer     NOT NULL,
    -- text, not varchar(n): our string grain keys and generic type names must never be rejected
    -- for length. The unique index below hashes them, so long values cost nothing there.
    GrainTypeString        text        NOT NULL,
    GrainIdExtensionString text        NULL,
    ServiceId              varchar(150) NOT NULL,
    -- NULL after ClearStorageKey: the row (and its version) survives a clear, the state does not.
    PayloadBinary          bytea       NULL,
    ModifiedOn             timestamptz NOT NULL DEFAULT now(),
    -- The etag. 1 on first write, +1 on every write or clear.
    Version                integer     NOT NULL
);

-- Lookup path for every query: both hashes narrow the search to (almost always) one row.
CREATE INDEX IF NOT EXISTS ix_orleansstorage_hashes
    ON OrleansStorage (GrainIdHash, GrainTypeHash);

-- One row per grain state, enforced by the database rather than by a NOT EXISTS check (which two
-- concurrent first writes under READ COMMITTED could both pass). The two strings are hashed so the
-- key stays small whatever their length; NULLS NOT DISTINCT (PostgreSQL 15+) makes "no extension"
-- (NULL) count as one value, so two rows without an extension still collide.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleansstorage_identity
    ON OrleansStorage (ServiceId, GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1,
                       md5(GrainTypeString), md5(GrainIdExtensionString))
    NULLS NOT DISTINCT;

-- Write = insert-or-update with optimistic concurrency, returning the new etag (or not).
--   expected version NULL  -> the grain believes no row exists: insert version 1. If a row exists
--                             (another activation got there first, or the grain never read) the
--                             insert does nothing and NULL comes back -> conflict.
--   expected version n     -> update only the row still at version n, to n + 1. If it moved on or
--                             vanished, n comes back unchanged -> conflict.
-- A SQL (not PL/pgSQL) function: two guarded statements are all it takes.
CREATE OR REPLACE FUNCTION orleans_storage_write(
    p_grain_id_hash     integer,
    p_grain_id_n0       bigint,
    p_grain_id_n1       bigint,
    p_grain_type_hash   integer,
    p_grain_type        text,
    p_grain_id_ext      text,
    p_service_id        text,
    p_expected_version  integer,
    p_payload           bytea)
RETURNS integer
LANGUAGE sql
AS $fn$
    WITH updated AS (
        UPDATE OrleansStorage
           SET PayloadBinary = p_payload,
               ModifiedOn    = now(),
               Version       = Version + 1
         WHERE p_expected_version IS NOT NULL
           AND GrainIdHash = p_grain_id_hash
           AND GrainTypeHash = p_grain_type_hash
           AND GrainIdN0 = p_grain_id_n0
           AND GrainIdN1 = p_grain_id_n1
           AND GrainTypeString = p_grain_type
           AND GrainIdExtensionString IS NOT DISTINCT FROM p_grain_id_ext
           AND ServiceId = p_service_id
           AND Version = p_expected_version
        RETURNING Version
    ),
    inserted AS (
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
             GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
        SELECT p_grain_id_hash, p_grain_id_n0, p_grain_id_n1, p_grain_type_hash, p_grain_type,
               p_grain_id_ext, p_service_id, p_payload, now(), 1
         WHERE p_expected_version IS NULL
        ON CONFLICT DO NOTHING
        RETURNING Version
    )
    SELECT COALESCE((SELECT Version FROM updated),
                    (SELECT Version FROM inserted),
                    p_expected_version);
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'WriteToStorageKey',
    $q$
    SELECT orleans_storage_write(
        @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
        @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary)
        AS "NewGrainStateVersion";
    $q$
),
(
    'ReadFromStorageKey',
    $q$
    SELECT PayloadBinary AS "PayloadBinary",
           Version       AS "Version"
      FROM OrleansStorage
     WHERE GrainIdHash = @GrainIdHash
       AND GrainTypeHash = @GrainTypeHash
       AND GrainIdN0 = @GrainIdN0
       AND GrainIdN1 = @GrainIdN1
       AND GrainTypeString = @GrainTypeString
       AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
       AND ServiceId = @ServiceId;
    $q$
),
(
    -- Clear keeps the row and bumps its version, so a later write from a stale activation still
    -- conflicts. Returns the new version; no row when the etag is stale.
    'ClearStorageKey',
    $q$
    UPDATE OrleansStorage
       SET PayloadBinary = NULL,
           ModifiedOn    = now(),
           Version       = Version + 1
     WHERE GrainIdHash = @GrainIdHash
       AND GrainTypeHash = @GrainTypeHash
       AND GrainIdN0 = @GrainIdN0
       AND GrainIdN1 = @GrainIdN1
       AND GrainTypeString = @GrainTypeString
       AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
       AND ServiceId = @ServiceId
       AND Version = @GrainStateVersion
    RETURNING Version AS "NewGrainStateVersion";
    $q$
),
(
    -- Used instead of ClearStorageKey when AdoNetGrainStorageOptions.DeleteStateOnClear is true.
    -- The row is gone afterwards; the provider still needs a value different from the etag it sent
    -- to know the delete happened, hence "old version + 1". No row when the etag is stale.
    'DeleteStorageKey',
    $q$
    DELETE FROM OrleansStorage
     WHERE GrainIdHash = @GrainIdHash
       AND GrainTypeHash = @GrainTypeHash
       AND GrainIdN0 = @GrainIdN0
       AND GrainIdN1 = @GrainIdN1
       AND GrainTypeString = @GrainTypeString
       AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
       AND ServiceId = @ServiceId
       AND Version = @GrainStateVersion
    RETURNING Version + 1 AS "NewGrainStateVersion";
    $q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
