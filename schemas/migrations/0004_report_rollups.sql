-- Weekly per-person rollup of intranet use for the report pages: events and
-- cloud-tool actions per person, labels and ISO week (Monday), about 8 times
-- fewer rows than intranet_daily. Reports read whole weeks of a period here
-- and the days of a partial first or last week from intranet_daily, so every
-- period gives the same numbers as the daily rollup. Inserts run with
-- optimize_on_insert = 0: the view's GROUP BY pre-aggregates each block and
-- background merges sum the rest. A week expires with its Monday under the
-- evidence TTL, never after any of its days.
CREATE TABLE IF NOT EXISTS {{table "intranet_weekly"}}{{onCluster}} (
    tenant   LowCardinality(String),
    week     Date,
    cohort   LowCardinality(String),
    org_unit LowCardinality(String),
    grade    LowCardinality(String),
    person   UInt64,
    events   UInt64,
    cloud    UInt64
) ENGINE = {{engine "SummingMergeTree" "intranet_weekly" "(events, cloud)"}}
PARTITION BY toYYYYMM(week)
ORDER BY (tenant, week, cohort, org_unit, grade, person)
{{ttl "week"}};

{{distributed "intranet_weekly" "cityHash64(tenant, person)"}}

-- Backfill from the events already stored when the rollup is empty (a data
-- directory from before this migration). Migrations run before the
-- consumers start, so no insert falls between this copy and the view below.
INSERT INTO {{.Database}}.intranet_weekly (tenant, week, cohort, org_unit, grade, person, events, cloud)
SELECT tenant, toMonday(toDate(ts)) AS week, cohort, org_unit, grade, person,
       count() AS events, countIf(kind = 'cloud_tool') AS cloud
FROM {{.Database}}.intranet_events
WHERE (SELECT count() FROM {{.Database}}.intranet_weekly) = 0
GROUP BY tenant, week, cohort, org_unit, grade, person;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table "intranet_weekly_mv"}}{{onCluster}}
TO {{table "intranet_weekly"}} AS
SELECT tenant, toMonday(toDate(ts)) AS week, cohort, org_unit, grade, person,
       count() AS events, countIf(kind = 'cloud_tool') AS cloud
FROM {{table "intranet_events"}}
GROUP BY tenant, week, cohort, org_unit, grade, person;
