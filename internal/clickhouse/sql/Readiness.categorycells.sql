-- The readiness lattice of one wave by category (as Readiness.personcells):
-- per cell of unit x grade x cohort, margins included, the people of each
-- segment (digital readiness, kind 'segment') and of each barrier stage
-- (change readiness in the wave of the same name, kind 'stage'). The
-- newest scoring of each person wins; each person has one category of
-- each kind, so every margin is the sum of its parts.
SELECT kind, cat, u, g, c, grouping(u) AS tu, grouping(g) AS tg, grouping(c) AS tc, count() AS n
FROM (
    SELECT if(instrument_id = @instrument, 'segment', 'stage') AS kind, person,
           argMax(org_unit, scored_at) AS u, argMax(grade, scored_at) AS g, argMax(cohort, scored_at) AS c,
           toString(if(instrument_id = @instrument, argMax(segment, scored_at), argMax(barrier, scored_at))) AS cat
    FROM {db}.readiness_persons
    WHERE tenant = @tenant AND instrument_id IN (@instrument, @stages) AND wave = @wave
    GROUP BY instrument_id, person
)
GROUP BY GROUPING SETS ((kind, cat, u, g, c), (kind, cat, u, g), (kind, cat, u, c), (kind, cat, g, c),
                        (kind, cat, u), (kind, cat, g), (kind, cat, c), (kind, cat))
