-- Operational tables: dead letters with their reasons, and the log of the
-- Kafka offset spans each consumer batch is about to insert: rows can exist
-- only inside a logged span, so a batch that overlaps no earlier span needs
-- no lookup in the (large) evidence tables to stay exactly-once.
CREATE TABLE IF NOT EXISTS {{table "dead_letters"}}{{onCluster}} (
    tenant           LowCardinality(String),
    dl_partition     Int32,
    dl_offset        Int64,
    source           LowCardinality(String),
    source_partition Int32,
    source_offset    Int64,
    source_line      Int32,
    reason           String,
    errors           String,
    payload          String CODEC(ZSTD(3)),
    at               DateTime64(3),
    ingested_at      DateTime64(3) DEFAULT now64(3)
) ENGINE = {{engine "ReplacingMergeTree" "dead_letters" "ingested_at"}}
PARTITION BY toYYYYMM(at)
ORDER BY (tenant, dl_partition, dl_offset)
TTL toDateTime(at) + toIntervalDay(90);

CREATE TABLE IF NOT EXISTS {{table "ingest_batches"}}{{onCluster}} (
    consumer_group LowCardinality(String),
    topic          LowCardinality(String),
    partition      Int32,
    first_offset   Int64,
    last_offset    Int64,
    rows           UInt32,
    token          String,
    inserted_at    DateTime64(3) DEFAULT now64(3)
) ENGINE = {{engine "MergeTree" "ingest_batches" ""}}
ORDER BY (topic, partition, last_offset, consumer_group)
TTL toDateTime(inserted_at) + toIntervalDay(30);

{{distributed "dead_letters" "cityHash64(tenant)"}}
{{distributed "ingest_batches" "cityHash64(topic, partition)"}}
