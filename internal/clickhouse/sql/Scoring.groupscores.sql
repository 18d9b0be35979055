-- Mean, standard deviation and respondents per group and dimension in the
-- latest scoring of a wave. {by} is a whitelisted column (org_unit, grade,
-- cohort); LIMIT 1 BY drops a row stored twice before the merge.
SELECT {by} AS grp, dimension, count() AS n, avg(score) AS mean, stddevSamp(score) AS sd
FROM (
    SELECT {by}, dimension, person, score
    FROM {db}.readiness_scores
    WHERE tenant = @tenant AND instrument_id = @instrument
      AND instrument_version = @version AND wave = @wave
      AND scored_at = (
          SELECT max(scored_at) FROM {db}.readiness_scores
          WHERE tenant = @tenant AND instrument_id = @instrument
            AND instrument_version = @version AND wave = @wave)
    LIMIT 1 BY person, dimension
)
WHERE score IS NOT NULL
GROUP BY grp, dimension
ORDER BY grp, dimension
