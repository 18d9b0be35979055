-- The three evidence streams, one row per record (survey: one row per answered item).
-- Duplicates by event id collapse: ReplacingMergeTree on a key that ends with event_id,
-- and a re-sent insert block is dropped by insert deduplication. kafka_partition and
-- kafka_offset say which message a row came from, so a restarted consumer skips
-- exactly the messages already inserted (see ingest/consumer.go).
CREATE TABLE IF NOT EXISTS {{table "diary_entries"}}{{onCluster}} (
    tenant            LowCardinality(String),
    person            UInt64,
    event_id          UUID,
    org_unit          LowCardinality(String),
    grade             LowCardinality(String),
    cohort            LowCardinality(String),
    date              Date,
    lang              LowCardinality(String),
    text              String CODEC(ZSTD(3)),
    productivity      UInt8,
    work_life_balance UInt8,
    connection        UInt8,
    tech_problems     Bool,
    location          LowCardinality(String),
    kafka_partition   Int32,
    kafka_offset      Int64,
    ingested_at       DateTime64(3) DEFAULT now64(3),
    INDEX kafka_offset_idx kafka_offset TYPE minmax GRANULARITY 4
) ENGINE = {{engine "ReplacingMergeTree" "diary_entries" "ingested_at"}}
PARTITION BY toYYYYMM(date)
ORDER BY (tenant, date, person, event_id)
{{ttl "date"}};

CREATE TABLE IF NOT EXISTS {{table "survey_answers"}}{{onCluster}} (
    tenant             LowCardinality(String),
    person             UInt64,
    event_id           UUID,
    org_unit           LowCardinality(String),
    grade              LowCardinality(String),
    cohort             LowCardinality(String),
    instrument_id      LowCardinality(String),
    instrument_version UInt16,
    wave               LowCardinality(String),
    submitted_at       DateTime64(3),
    context            LowCardinality(String),
    item               LowCardinality(String),
    answer_type        LowCardinality(String),
    value              Float64,
    choice             LowCardinality(String),
    text               String CODEC(ZSTD(3)),
    kafka_partition    Int32,
    kafka_offset       Int64,
    ingested_at        DateTime64(3) DEFAULT now64(3),
    INDEX kafka_offset_idx kafka_offset TYPE minmax GRANULARITY 4
) ENGINE = {{engine "ReplacingMergeTree" "survey_answers" "ingested_at"}}
PARTITION BY toYYYYMM(submitted_at)
ORDER BY (tenant, instrument_id, instrument_version, wave, item, person, event_id)
{{ttl "submitted_at"}};

CREATE TABLE IF NOT EXISTS {{table "intranet_events"}}{{onCluster}} (
    tenant      LowCardinality(String),
    person      UInt64,
    event_id    UUID,
    org_unit    LowCardinality(String),
    grade       LowCardinality(String),
    cohort      LowCardinality(String),
    ts          DateTime64(3),
    kind        LowCardinality(String),
    section     LowCardinality(String),
    page        String,
    device      LowCardinality(String),
    remote      Bool,
    tool        LowCardinality(String),
    referent    Bool,
    kafka_partition Int32,
    kafka_offset    Int64,
    ingested_at DateTime64(3) DEFAULT now64(3),
    INDEX kafka_offset_idx kafka_offset TYPE minmax GRANULARITY 4
) ENGINE = {{engine "ReplacingMergeTree" "intranet_events" "ingested_at"}}
PARTITION BY toYYYYMM(ts)
ORDER BY (tenant, kind, ts, person, event_id)
{{ttl "ts"}};

-- Daily per-person rollup of intranet use, kept at insert time, so adoption
-- reports and DiD panels never scan raw events. Its own deduplication window
-- makes a re-sent block count once here too.
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
    events   UInt64
) ENGINE = {{engine "SummingMergeTree" "intranet_daily" "events"}}
PARTITION BY toYYYYMM(day)
ORDER BY (tenant, day, kind, cohort, org_unit, grade, person, tool, remote, referent)
{{ttl "day"}};

CREATE MATERIALIZED VIEW IF NOT EXISTS {{table "intranet_daily_mv"}}{{onCluster}}
TO {{table "intranet_daily"}} AS
SELECT tenant, toDate(ts) AS day, kind, cohort, org_unit, grade, person, tool, remote, referent,
       count() AS events
FROM {{table "intranet_events"}}
GROUP BY tenant, day, kind, cohort, org_unit, grade, person, tool, remote, referent;

{{distributed "diary_entries" "cityHash64(tenant, person)"}}
{{distributed "survey_answers" "cityHash64(tenant, person)"}}
{{distributed "intranet_events" "cityHash64(tenant, person)"}}
{{distributed "intranet_daily" "cityHash64(tenant, person)"}}
