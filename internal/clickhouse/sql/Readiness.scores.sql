-- Dimension scores of two waves by unit and score level (nearest scale
-- point): counts, sums and sums of squares, so every mean, CI and margin
-- is exact. The newest scoring of each person wins (argMax on scored_at)
-- instead of FINAL.
SELECT wave, dimension, u AS org_unit, toUInt8(least(5, greatest(1, round(sc)))) AS level,
       count() AS n, sum(sc) AS s, sum(sc * sc) AS ss, countIf(sc < @target) AS below
FROM (
    SELECT wave, dimension, person,
           argMax(org_unit, scored_at) AS u, argMax(grade, scored_at) AS g, argMax(cohort, scored_at) AS c,
           argMax(assumeNotNull(score), scored_at) AS sc
    FROM {db}.readiness_scores
    WHERE tenant = @tenant AND instrument_id = @instrument AND wave IN (@wave, @prev) AND score IS NOT NULL
    GROUP BY wave, dimension, person
)
WHERE (@unit = '' OR u = @unit) AND (@grade = '' OR g = @grade) AND (@cohort = '' OR c = @cohort)
GROUP BY wave, dimension, org_unit, level
