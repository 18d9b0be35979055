-- Waves of the given instruments to score: those never scored, and those
-- with inputs that may postdate their last complete scoring
-- (readiness_persons is written last). Inputs are the wave's numeric
-- answers and the intranet events of the @days days up to the wave's last
-- submission (the behaviour of the index); later events do not count.
-- ingested_at is stamped when an insert starts and rows show when it
-- commits, so an input stamped up to @settle_ms before a scoring may have
-- been invisible to it: such a wave is scored once more. A wave whose
-- respondents differ in number from its last scoring is stale too.
-- A missing scoring or event joins as 1970-01-01 (join_use_nulls = 0).
WITH answers AS (
    SELECT tenant, instrument_id, instrument_version, wave,
           max(ingested_at) AS last_ingested, toDate(max(submitted_at)) AS end_day,
           uniqExact(person) AS persons
    FROM {db}.survey_answers
    WHERE has(@instruments, instrument_id) AND answer_type = 'number'
    GROUP BY tenant, instrument_id, instrument_version, wave
),
usage AS (
    SELECT tenant, toDate(ts) AS day, max(ingested_at) AS last_ingested
    FROM {db}.intranet_events
    WHERE ts >= (SELECT min(end_day) FROM answers) - @days
      AND ts < (SELECT max(end_day) FROM answers) + 1
    GROUP BY tenant, day
),
inputs AS (
    SELECT a.tenant AS tenant, a.instrument_id AS instrument_id,
           a.instrument_version AS instrument_version, a.wave AS wave, any(a.persons) AS persons,
           greatest(any(a.last_ingested),
                    maxIf(u.last_ingested, u.day <= a.end_day AND u.day > a.end_day - @days)) AS last_ingested
    FROM answers AS a
    LEFT JOIN usage AS u ON u.tenant = a.tenant
    GROUP BY a.tenant, a.instrument_id, a.instrument_version, a.wave
)
SELECT i.tenant, i.instrument_id, i.instrument_version, i.wave, i.last_ingested
FROM inputs AS i
LEFT JOIN (
    SELECT tenant, instrument_id, instrument_version, wave,
           max(scored_at) AS last_scored, argMax(persons, scored_at) AS persons
    FROM (
        SELECT tenant, instrument_id, instrument_version, wave, scored_at, uniqExact(person) AS persons
        FROM {db}.readiness_persons
        GROUP BY tenant, instrument_id, instrument_version, wave, scored_at
    )
    GROUP BY tenant, instrument_id, instrument_version, wave
) AS s USING (tenant, instrument_id, instrument_version, wave)
WHERE s.last_scored < i.last_ingested + toIntervalMillisecond(@settle_ms)
   OR s.persons != i.persons
ORDER BY i.tenant, i.instrument_id, i.instrument_version, i.wave
