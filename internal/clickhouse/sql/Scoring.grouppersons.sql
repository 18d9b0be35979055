-- Persons per group, segment and barrier point in the latest scoring of a
-- wave, with the mean Digital Readiness Index of those who have one.
SELECT {by} AS grp, segment, barrier, count() AS n,
       sum(ifNull(readiness_index, 0)) AS index_sum, count(readiness_index) AS index_n
FROM (
    SELECT {by}, person, segment, barrier, readiness_index
    FROM {db}.readiness_persons
    WHERE tenant = @tenant AND instrument_id = @instrument
      AND instrument_version = @version AND wave = @wave
      AND scored_at = (
          SELECT max(scored_at) FROM {db}.readiness_persons
          WHERE tenant = @tenant AND instrument_id = @instrument
            AND instrument_version = @version AND wave = @wave)
    LIMIT 1 BY person
)
GROUP BY grp, segment, barrier
ORDER BY grp, segment, barrier
