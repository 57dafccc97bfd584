-- 0002_orleans_clustering.sql
--
-- Cluster membership for Orleans.Clustering.AdoNet (silos: UseAdoNetClustering; clients use the
-- gateway query only). Requires 0001 (OrleansQuery).
--
-- The membership protocol in one paragraph: every cluster (the provider's "DeploymentId", which is
-- ClusterOptions.ClusterId) owns one version row. Every change to the set of silos (a silo joins,
-- its status changes, someone votes it suspect) must present the version the writer last read and
-- bumps it by one; a writer holding a stale version gets FALSE back, re-reads and retries. Heartbeats
-- (IAmAliveTime) are the exception: they touch only the silo's own row and never the version.
--
-- What the provider sends and reads (Orleans 10.4.2):
--   parameters   @DeploymentId text, @Address text (IP as text), @Port int, @Generation int,
--                @SiloName text, @HostName text, @Status int, @ProxyPort int, @SuspectTimes text
--                (null when there are none), @StartTime/@IAmAliveTime timestamptz (UTC DateTime
--                sent as DbType.DateTime, which Npgsql maps to timestamptz), @Version int
--                (the table version etag).
--   read by name Address, Port, Generation, SiloName, HostName, Status, ProxyPort, SuspectTimes,
--                StartTime, IAmAliveTime, Version; the gateway query: Address, ProxyPort, Generation.
--   conditional  InsertMembershipKey, UpdateMembershipKey and InsertMembershipVersionKey must return
--   writes       one row with one column that converts to a boolean (true = done).
--
-- SiloStatus values used below: 3 = Active, 6 = Dead.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150) NOT NULL,
    -- When the version last moved; informative only, the provider never reads it.
    Timestamp    timestamptz  NOT NULL DEFAULT now(),
    -- The table etag. Starts at 0; each successful membership change adds 1.
    Version      integer      NOT NULL DEFAULT 0,

    CONSTRAINT pk_orleansmembershipversiontable PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150) NOT NULL,
    -- IPv4 or IPv6 in text form; 45 characters is the longest IPv6 text form.
    Address      varchar(45)  NOT NULL,
    Port         integer      NOT NULL,
    -- A silo restarted on the same endpoint gets a new generation, hence a new row.
    Generation   integer      NOT NULL,
    SiloName     varchar(150) NOT NULL,
    HostName     varchar(150) NOT NULL,
    Status       integer      NOT NULL,
    -- The gateway port; 0 when the silo is not a gateway. The provider always supplies it and reads
    -- it with GetInt32, so a NULL here would break every membership read: hence NOT NULL.
    ProxyPort    integer      NOT NULL DEFAULT 0,
    -- Suspicion votes as "silo,time|silo,time" exactly as the provider formats them. Unbounded text:
    -- a large cluster can accumulate long vote lists.
    SuspectTimes text         NULL,
    -- Millisecond precision, the precision Orleans itself formats membership times with.
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT pk_orleansmembershiptable PRIMARY KEY (DeploymentId, Address, Port, Generation),
    -- A silo row cannot exist without its cluster's version row. Removing a cluster's version row
    -- takes its silo rows with it, so a test reset can never trip over a row inserted meanwhile.
    CONSTRAINT fk_orleansmembershiptable_version FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId) ON DELETE CASCADE
);

-- Joining the cluster.
--
-- Lock order used by every writer in this file: a silo row before the version row when both are
-- needed (orleans_membership_update, DeleteMembershipTableEntriesKey), or the version row alone
-- (this function only inserts a new silo row, it never locks an existing one). No cycle, no deadlock.
--
-- Nothing is written unless the answer is TRUE, so no rollback path is needed: the version row is
-- locked first (which serialises all joins and updates of this cluster), then the silo row's absence
-- is checked, and only then are both rows written. A writer that waited for the lock re-checks the
-- version after the wait (READ COMMITTED re-evaluates the locked row), sees it moved and gets FALSE.
CREATE OR REPLACE FUNCTION orleans_membership_insert(
    p_deployment_id    text,
    p_address          text,
    p_port             integer,
    p_generation       integer,
    p_silo_name        text,
    p_host_name        text,
    p_status           integer,
    p_proxy_port       integer,
    p_start_time       timestamptz,
    p_i_am_alive_time  timestamptz,
    p_expected_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $fn$
BEGIN
    PERFORM 1
      FROM OrleansMembershipVersionTable
     WHERE DeploymentId = p_deployment_id
       AND Version = p_expected_version
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;   -- stale etag, or the cluster has no version row yet
    END IF;

    IF EXISTS (SELECT 1
                 FROM OrleansMembershipTable
                WHERE DeploymentId = p_deployment_id
                  AND Address = p_address
                  AND Port = p_port
                  AND Generation = p_generation) THEN
        RETURN false;   -- this silo (endpoint + generation) is already registered
    END IF;

    -- A plain INSERT on purpose: under the lock taken above a duplicate cannot appear, and if it
    -- somehow did, the error aborts the whole command, which the provider treats as a failure.
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName,
         Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
         p_status, COALESCE(p_proxy_port, 0), NULL, p_start_time, p_i_am_alive_time);

    UPDATE OrleansMembershipVersionTable
       SET Version = Version + 1,
           Timestamp = now()
     WHERE DeploymentId = p_deployment_id;

    RETURN true;
END
$fn$;

-- Changing a silo's status / suspicion votes / liveness.
--
-- The silo row is locked first; if it is missing the answer is FALSE and nothing moved. Then the
-- version is bumped only if it still equals the expected one; if not, FALSE and nothing moved
-- (the row lock is simply released at the end of the command).
CREATE OR REPLACE FUNCTION orleans_membership_update(
    p_deployment_id    text,
    p_address          text,
    p_port             integer,
    p_generation       integer,
    p_status           integer,
    p_suspect_times    text,
    p_i_am_alive_time  timestamptz,
    p_expected_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $fn$
BEGIN
    PERFORM 1
      FROM OrleansMembershipTable
     WHERE DeploymentId = p_deployment_id
       AND Address = p_address
       AND Port = p_port
       AND Generation = p_generation
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE OrleansMembershipVersionTable
       SET Version = Version + 1,
           Timestamp = now()
     WHERE DeploymentId = p_deployment_id
       AND Version = p_expected_version;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE OrleansMembershipTable
       SET Status = p_status,
           SuspectTimes = p_suspect_times,
           IAmAliveTime = p_i_am_alive_time
     WHERE DeploymentId = p_deployment_id
       AND Address = p_address
       AND Port = p_port
       AND Generation = p_generation;

    RETURN true;
END
$fn$;

-- The named queries. Plain statements where one statement is enough; the two conditional writes
-- above are functions because they need "check, then write" under a lock.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    -- Called by each silo at start-up; TRUE when this call created the cluster's version row.
    'InsertMembershipVersionKey',
    $q$
    WITH created AS (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId)
        VALUES (@DeploymentId)
        ON CONFLICT (DeploymentId) DO NOTHING
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM created) AS "Created";
    $q$
),
(
    'InsertMembershipKey',
    $q$
    SELECT orleans_membership_insert(
        @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS "Inserted";
    $q$
),
(
    'UpdateMembershipKey',
    $q$
    SELECT orleans_membership_update(
        @DeploymentId, @Address, @Port, @Generation,
        @Status, @SuspectTimes, @IAmAliveTime, @Version) AS "Updated";
    $q$
),
(
    -- Heartbeat. Touches only the silo's own row and never the version (by protocol design).
    -- GREATEST keeps liveness monotonic: a delayed heartbeat that arrives after a newer one (or after
    -- an UpdateMembershipKey carrying a newer time) cannot make the silo look older than it is.
    -- The provider ignores the result.
    'UpdateIAmAlivetimeKey',
    $q$
    UPDATE OrleansMembershipTable
       SET IAmAliveTime = GREATEST(IAmAliveTime, @IAmAliveTime)
     WHERE DeploymentId = @DeploymentId
       AND Address = @Address
       AND Port = @Port
       AND Generation = @Generation;
    $q$
),
(
    -- One silo. The version row drives the LEFT JOIN so that exactly one row comes back even when
    -- the silo is unknown: the provider always takes the table version from the first row and treats
    -- a NULL StartTime as "no such silo".
    'MembershipReadRowKey',
    $q$
    SELECT v.DeploymentId AS "DeploymentId",
           m.Address      AS "Address",
           m.Port         AS "Port",
           m.Generation   AS "Generation",
           m.SiloName     AS "SiloName",
           m.HostName     AS "HostName",
           m.Status       AS "Status",
           m.ProxyPort    AS "ProxyPort",
           m.SuspectTimes AS "SuspectTimes",
           m.StartTime    AS "StartTime",
           m.IAmAliveTime AS "IAmAliveTime",
           v.Version      AS "Version"
      FROM OrleansMembershipVersionTable v
      LEFT JOIN OrleansMembershipTable m
             ON m.DeploymentId = v.DeploymentId
            AND m.Address = @Address
            AND m.Port = @Port
            AND m.Generation = @Generation
     WHERE v.DeploymentId = @DeploymentId;
    $q$
),
(
    -- All silos of the cluster, same shape; one all-NULL silo row when the cluster has none.
    'MembershipReadAllKey',
    $q$
    SELECT v.DeploymentId AS "DeploymentId",
           m.Address      AS "Address",
           m.Port         AS "Port",
           m.Generation   AS "Generation",
           m.SiloName     AS "SiloName",
           m.HostName     AS "HostName",
           m.Status       AS "Status",
           m.ProxyPort    AS "ProxyPort",
           m.SuspectTimes AS "SuspectTimes",
           m.StartTime    AS "StartTime",
           m.IAmAliveTime AS "IAmAliveTime",
           v.Version      AS "Version"
      FROM OrleansMembershipVersionTable v
      LEFT JOIN OrleansMembershipTable m
             ON m.DeploymentId = v.DeploymentId
     WHERE v.DeploymentId = @DeploymentId;
    $q$
),
(
    -- Used by clients (and silos) to find gateways. The provider passes @Status = 3 (Active).
    'GatewaysQueryKey',
    $q$
    SELECT Address    AS "Address",
           ProxyPort  AS "ProxyPort",
           Generation AS "Generation"
      FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId
       AND Status = @Status
       AND ProxyPort > 0;
    $q$
),
(
    -- Wipes one cluster (used by tests and tooling). Silo rows first, then the version row (the
    -- foreign key cascades as well, for rows inserted in between).
    'DeleteMembershipTableEntriesKey',
    $q$
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
    $q$
),
(
    -- Bulk clean-up of defunct silos older than @IAmAliveTime (the cut-off). Orleans 10.4.2 uses this
    -- only when 'CleanupDefunctSiloEntryKey' below is absent; we define both. Deliberately narrower
    -- than "everything not Active": only rows declared Dead whose start and last heartbeat are both
    -- older than the cut-off. A silo that is still joining or shutting down is left alone; the
    -- membership protocol will declare it Dead first if it really is gone.
    -- Never moves the version: removing a Dead row changes nothing the protocol relies on.
    'CleanupDefunctSiloEntriesKey',
    $q$
    DELETE FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId
       AND Status = 6
       AND IAmAliveTime < @IAmAliveTime
       AND StartTime < @IAmAliveTime;
    $q$
),
(
    -- Optional in Orleans 10.4.2 (looked up with GetValueOrDefault); when present the provider reads
    -- all rows, picks Dead rows older than the cut-off without recent suspicion votes, and deletes
    -- each one with this query, passing back the values it just read. The row is removed only if it
    -- is still exactly that row (nothing changed in between). SuspectTimes compare NULL and '' as
    -- equal because the provider turns an empty vote list into NULL when it reads it back.
    -- Never moves the version.
    'CleanupDefunctSiloEntryKey',
    $q$
    DELETE FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId
       AND Address = @Address
       AND Port = @Port
       AND Generation = @Generation
       AND Status = 6
       AND StartTime = @StartTime
       AND IAmAliveTime = @IAmAliveTime
       AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
    $q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
