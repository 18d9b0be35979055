-- The intranet rollups count each record by its identity, not by its
-- arrival: `events` (and the weekly `cloud`) hold the exact set of event ids
-- of their key (uniqExact state, AggregatingMergeTree), so a record that
-- reaches intranet_events twice (a client's re-post, a relay repeated after
-- a crash, a consumer that lost its partition and inserted anyway, a retry)
-- adds nothing to any rollup: the states merge as a set union. Raw and
-- rollups then agree by construction, and a rollup partition can be derived
-- again from the raw rows at any time, concurrently with the consumers, by
-- inserting its states once more (see store.RebuildRollups).
--
-- The old rollups counted arrivals and may hold duplicates: they are
-- dropped and derived from the deduplicated raw rows. Migrations run
-- before the consumers start, so no insert falls between the copy and the
-- views.
--
-- Every table a consumer writes rows to also keeps the insert deduplication window
-- on one server (non_replicated_deduplication_window; replicated tables
-- have their own), so a batch sent again with its token, by a retry or by
-- another consumer over the same offsets, is dropped whole, in the table
-- and in the rollups its views feed.
DROP VIEW IF EXISTS {{table "intranet_daily_mv"}}{{onCluster}};
DROP VIEW IF EXISTS {{table "intranet_weekly_mv"}}{{onCluster}};
{{if .Cluster}}DROP TABLE IF EXISTS {{.Database}}.intranet_daily{{onCluster}};
DROP TABLE IF EXISTS {{.Database}}.intranet_weekly{{onCluster}};
{{end}}DROP TABLE IF EXISTS {{table "intranet_daily"}}{{onCluster}};
DROP TABLE IF EXISTS {{table "intranet_weekly"}}{{onCluster}};

CREATE TABLE IF NOT EXISTS {{table "intranet_daily"}}{{onCluster}} (
    tenant   LowCardinality(String),
    day      Date,
    kind     LowCardinality(String),
    cohort   LowCardinality(String),
    org_unit LowCardinality(String),
    grade    LowCardinality(String),
    person   UInt64,
    tool     LowCardinality(String),
    remote   Bool,
    referent Bool,
    events   AggregateFunction(uniqExact, UUID)
) ENGINE = {{engine "AggregatingMergeTree" "intranet_daily_v2" ""}}
PARTITION BY toYYYYMM(day)
ORDER BY (tenant, day, kind, cohort, org_unit, grade, person, tool, remote, referent)
{{ttl "day"}}
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS {{table "intranet_weekly"}}{{onCluster}} (
    tenant   LowCardinality(String),
    week     Date,
    cohort   LowCardinality(String),
    org_unit LowCardinality(String),
    grade    LowCardinality(String),
    person   UInt64,
    events   AggregateFunction(uniqExact, UUID),
    cloud    AggregateFunction(uniqExact, UUID)
) ENGINE = {{engine "AggregatingMergeTree" "intranet_weekly_v2" ""}}
PARTITION BY toYYYYMM(week)
ORDER BY (tenant, week, cohort, org_unit, grade, person)
{{ttl "week"}}
SETTINGS non_replicated_deduplication_window = 1000;

{{distributed "intranet_daily" "cityHash64(tenant, person)"}}
{{distributed "intranet_weekly" "cityHash64(tenant, person)"}}

INSERT INTO {{.Database}}.intranet_daily (tenant, day, kind, cohort, org_unit, grade, person, tool, remote, referent, events)
SELECT tenant, toDate(ts) AS day, kind, cohort, org_unit, grade, person, tool, remote, referent,
       uniqExactState(event_id) AS events
FROM {{.Database}}.intranet_events
GROUP BY tenant, day, kind, cohort, org_unit, grade, person, tool, remote, referent;

INSERT INTO {{.Database}}.intranet_weekly (tenant, week, cohort, org_unit, grade, person, events, cloud)
SELECT tenant, toMonday(toDate(ts)) AS week, cohort, org_unit, grade, person,
       uniqExactState(event_id) AS events, uniqExactStateIf(event_id, kind = 'cloud_tool') AS cloud
FROM {{.Database}}.intranet_events
GROUP BY tenant, week, cohort, org_unit, grade, person;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table "intranet_daily_mv"}}{{onCluster}}
TO {{table "intranet_daily"}} AS
SELECT tenant, toDate(ts) AS day, kind, cohort, org_unit, grade, person, tool, remote, referent,
       uniqExactState(event_id) AS events
FROM {{table "intranet_events"}}
GROUP BY tenant, day, kind, cohort, org_unit, grade, person, tool, remote, referent;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table "intranet_weekly_mv"}}{{onCluster}}
TO {{table "intranet_weekly"}} AS
SELECT tenant, toMonday(toDate(ts)) AS week, cohort, org_unit, grade, person,
       uniqExactState(event_id) AS events, uniqExactStateIf(event_id, kind = 'cloud_tool') AS cloud
FROM {{table "intranet_events"}}
GROUP BY tenant, week, cohort, org_unit, grade, person;

ALTER TABLE {{table "intranet_events"}}{{onCluster}} MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE {{table "diary_entries"}}{{onCluster}} MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE {{table "survey_answers"}}{{onCluster}} MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE {{table "dead_letters"}}{{onCluster}} MODIFY SETTING non_replicated_deduplication_window = 1000;
