-- The readiness lattice of one wave by score level (as Readiness.cells):
-- per dimension and cell of unit x grade x cohort, margins included, the
-- scored people at each level (the nearest scale point, 1-5). The newest
-- scoring of each person wins; each person has one level per dimension,
-- so every margin is the sum of its parts.
SELECT dimension, level, u, g, c, grouping(u) AS tu, grouping(g) AS tg, grouping(c) AS tc, count() AS n
FROM (
    SELECT dimension, person,
           argMax(org_unit, scored_at) AS u, argMax(grade, scored_at) AS g, argMax(cohort, scored_at) AS c,
           toUInt8(least(5, greatest(1, round(argMax(assumeNotNull(score), scored_at))))) AS level
    FROM {db}.readiness_scores
    WHERE tenant = @tenant AND instrument_id = @instrument AND wave = @wave AND score IS NOT NULL
    GROUP BY dimension, person
)
GROUP BY GROUPING SETS ((dimension, level, u, g, c), (dimension, level, u, g), (dimension, level, u, c), (dimension, level, g, c),
                        (dimension, level, u), (dimension, level, g), (dimension, level, c), (dimension, level))
