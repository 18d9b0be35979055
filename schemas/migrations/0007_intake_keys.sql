-- What became of the intake requests sent with an Idempotency-Key, kept
-- beyond the process that answered them: a retry after a restart, or one
-- that reaches another instance, gets the original answer (a request
-- answered in full) or publishes only the lines no attempt had
-- acknowledged. One row per attempt; the newest (by at) is the key's
-- state. Rows are kept for two days; the intake reads only those within
-- its idempotency period (24 hours by default).
CREATE TABLE IF NOT EXISTS {{table "intake_keys"}}{{onCluster}} (
    tenant LowCardinality(String),
    route  LowCardinality(String),
    key    String,
    digest String,
    acked  Array(UInt32),
    status UInt16,
    answer String CODEC(ZSTD(3)),
    at     DateTime64(3) DEFAULT now64(3)
) ENGINE = {{engine "ReplacingMergeTree" "intake_keys" "at"}}
ORDER BY (tenant, route, key)
TTL toDateTime(at) + toIntervalDay(2);

{{distributed "intake_keys" "cityHash64(tenant, key)"}}
