-- The register of erased people (GDPR art. 17): who, in which entity, and
-- when. Erasing deletes a person's rows from every table that holds them;
-- the register keeps the pseudonym, nothing else, so that records of that
-- person read again from Kafka (a replay, a re-delivery) are dropped by the
-- consumers instead of coming back.
CREATE TABLE IF NOT EXISTS {{table "erasures"}}{{onCluster}} (
    tenant       LowCardinality(String),
    person       UInt64,
    source       LowCardinality(String),
    requested_at DateTime64(3) DEFAULT now64(3)
) ENGINE = {{engine "ReplacingMergeTree" "erasures" "requested_at"}}
ORDER BY (tenant, person);

{{distributed "erasures" "cityHash64(tenant, person)"}}
