-- The readiness lattice of one wave: per dimension and per cell
-- of unit x grade x cohort, margins included (one grouping set per cell
-- kind; grouping() = 1 marks a coordinate aggregated away), the scored
-- people, the sum and sum of squares of their scores and the people below
-- the training target. The newest scoring of each person wins (argMax on
-- scored_at) and each person has one unit, grade and cohort per wave, so
-- count() counts distinct people and every margin is the sum of its parts.
SELECT dimension, u, g, c, grouping(u) AS tu, grouping(g) AS tg, grouping(c) AS tc,
       count() AS n, sum(sc) AS s, sum(sc * sc) AS ss, countIf(sc < @target) AS below
FROM (
    SELECT dimension, person,
           argMax(org_unit, scored_at) AS u, argMax(grade, scored_at) AS g, argMax(cohort, scored_at) AS c,
           argMax(assumeNotNull(score), scored_at) AS sc
    FROM {db}.readiness_scores
    WHERE tenant = @tenant AND instrument_id = @instrument AND wave = @wave AND score IS NOT NULL
    GROUP BY dimension, person
)
GROUP BY GROUPING SETS ((dimension, u, g, c), (dimension, u, g), (dimension, u, c), (dimension, g, c),
                        (dimension, u), (dimension, g), (dimension, c), (dimension))
