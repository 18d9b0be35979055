-- Results of the readiness scoring job (assessment/), one version per
-- (tenant, instrument version, wave, person): re-scoring a wave replaces the
-- rows (ReplacingMergeTree on scored_at). Person-level rows are inputs of
-- aggregates only; reports never show them individually.
CREATE TABLE IF NOT EXISTS {{table "readiness_scores"}}{{onCluster}} (
    tenant             LowCardinality(String),
    instrument_id      LowCardinality(String),
    instrument_version UInt16,
    wave               LowCardinality(String),
    person             UInt64,
    org_unit           LowCardinality(String),
    grade              LowCardinality(String),
    cohort             LowCardinality(String),
    dimension          LowCardinality(String),
    score              Nullable(Float64),
    z                  Nullable(Float64),
    t                  Nullable(Float64),
    percentile         Nullable(Float64),
    scored_at          DateTime64(3)
) ENGINE = {{engine "ReplacingMergeTree" "readiness_scores" "scored_at"}}
ORDER BY (tenant, instrument_id, instrument_version, wave, dimension, person);

CREATE TABLE IF NOT EXISTS {{table "readiness_persons"}}{{onCluster}} (
    tenant             LowCardinality(String),
    instrument_id      LowCardinality(String),
    instrument_version UInt16,
    wave               LowCardinality(String),
    person             UInt64,
    org_unit           LowCardinality(String),
    grade              LowCardinality(String),
    cohort             LowCardinality(String),
    segment            LowCardinality(String),
    barrier            LowCardinality(String),
    readiness_index    Nullable(Float64),
    scored_at          DateTime64(3)
) ENGINE = {{engine "ReplacingMergeTree" "readiness_persons" "scored_at"}}
ORDER BY (tenant, instrument_id, instrument_version, wave, person);

{{distributed "readiness_scores" "cityHash64(tenant, person)"}}
{{distributed "readiness_persons" "cityHash64(tenant, person)"}}
