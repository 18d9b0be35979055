-- The readiness lattice of one wave from the person table: per cell of unit x grade x cohort, margins included, the scored people and
-- the moments of their readiness index (as Readiness.cells).
SELECT u, g, c, grouping(u) AS tu, grouping(g) AS tg, grouping(c) AS tc,
       count() AS n, countIf(has) AS ni, sumIf(x, has) AS si, sumIf(x * x, has) AS ssi
FROM (
    SELECT person,
           argMax(org_unit, scored_at) AS u, argMax(grade, scored_at) AS g, argMax(cohort, scored_at) AS c,
           argMax(readiness_index IS NOT NULL, scored_at) AS has,
           argMax(ifNull(readiness_index, 0), scored_at) AS x
    FROM {db}.readiness_persons
    WHERE tenant = @tenant AND instrument_id = @instrument AND wave = @wave
    GROUP BY person
)
GROUP BY GROUPING SETS ((u, g, c), (u, g), (u, c), (g, c), (u), (g), (c), ())
