-- 0004_orleans_reminders.sql
--
-- Durable reminders for Orleans.Reminders.AdoNet (UseAdoNetReminderService). Requires 0001.
--
-- What the provider sends and reads (Orleans 10.4.2):
--   parameters   @ServiceId text, @GrainId text (GrainId.ToString(), e.g. "subscription/ten_1"),
--                @ReminderName text, @StartTime timestamptz (UTC), @Period int or bigint
--                (milliseconds; int while it fits, bigint beyond ~24.8 days), @GrainHash int
--                (the grain's uniform hash, a uint passed as a signed int), @BeginHash/@EndHash int
--                (same encoding), @Version int (the reminder's etag, for delete).
--   read by name GrainId, ReminderName, StartTime, Period, Version; the upsert reads "Version" only;
--                the delete reads the single column of its single row as a boolean.
--
-- Ring ranges: each silo owns the hash range (BeginHash, EndHash] of the ring. The provider picks
-- ReadRangeRows1Key when (int)BeginHash < (int)EndHash (the range does not wrap in signed order)
-- and ReadRangeRows2Key otherwise (it wraps: everything above Begin OR up to End).

CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    varchar(150)   NOT NULL,
    -- text: grain ids are "type/key" strings and our keys are composite; no arbitrary limit.
    GrainId      text           NOT NULL,
    ReminderName text           NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    -- Milliseconds. bigint so periods beyond int range (~24.8 days) fit.
    Period       bigint         NOT NULL,
    GrainHash    integer        NOT NULL,
    -- The etag: 0 on creation, +1 on every upsert of the same reminder.
    Version      integer        NOT NULL,

    CONSTRAINT pk_orleansreminderstable PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Every silo periodically reads its slice of the ring by hash; without this index that is a full scan.
CREATE INDEX IF NOT EXISTS ix_orleansreminderstable_hash
    ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    -- Create or replace a reminder; returns its new etag as "Version". One atomic statement, so two
    -- silos registering the same reminder at once both succeed and the later one wins.
    'UpsertReminderRowKey',
    $q$
    INSERT INTO OrleansRemindersTable AS r
        (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES
        (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
        SET StartTime = EXCLUDED.StartTime,
            Period    = EXCLUDED.Period,
            GrainHash = EXCLUDED.GrainHash,
            Version   = r.Version + 1
    RETURNING r.Version AS "Version";
    $q$
),
(
    -- All reminders of one grain.
    'ReadReminderRowsKey',
    $q$
    SELECT GrainId      AS "GrainId",
           ReminderName AS "ReminderName",
           StartTime    AS "StartTime",
           Period       AS "Period",
           Version      AS "Version"
      FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId
       AND GrainId = @GrainId;
    $q$
),
(
    -- One reminder of one grain (zero or one row).
    'ReadReminderRowKey',
    $q$
    SELECT GrainId      AS "GrainId",
           ReminderName AS "ReminderName",
           StartTime    AS "StartTime",
           Period       AS "Period",
           Version      AS "Version"
      FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId
       AND GrainId = @GrainId
       AND ReminderName = @ReminderName;
    $q$
),
(
    -- Non-wrapping range: Begin < hash <= End.
    'ReadRangeRows1Key',
    $q$
    SELECT GrainId      AS "GrainId",
           ReminderName AS "ReminderName",
           StartTime    AS "StartTime",
           Period       AS "Period",
           Version      AS "Version"
      FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId
       AND GrainHash > @BeginHash
       AND GrainHash <= @EndHash;
    $q$
),
(
    -- Wrapping range: hash > Begin, or hash <= End. (Begin = End means the whole ring.)
    'ReadRangeRows2Key',
    $q$
    SELECT GrainId      AS "GrainId",
           ReminderName AS "ReminderName",
           StartTime    AS "StartTime",
           Period       AS "Period",
           Version      AS "Version"
      FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId
       AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
    $q$
),
(
    -- Remove one reminder if its etag still matches; TRUE when a row was removed.
    'DeleteReminderRowKey',
    $q$
    WITH removed AS (
        DELETE FROM OrleansRemindersTable
         WHERE ServiceId = @ServiceId
           AND GrainId = @GrainId
           AND ReminderName = @ReminderName
           AND Version = @Version
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM removed) AS "Deleted";
    $q$
),
(
    -- Remove every reminder of the service (the provider uses it for test clean-up only).
    'DeleteReminderRowsKey',
    $q$
    DELETE FROM OrleansRemindersTable
     WHERE ServiceId = @ServiceId;
    $q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
