-- The publishing lattice of every ISO week: per week and cell of unit x
-- grade x cohort, margins included (grouping() = 1 marks a coordinate
-- aggregated away), the referents who published and their items. Each
-- referent has one unit, grade and cohort per week (the latest day's), so
-- count() counts distinct people and every margin is the sum of its parts.
-- All weeks at once, whatever the page's period: a week's cells, and so its
-- protection, never depend on the period asked for.
SELECT week, u, g, c, grouping(u) AS tu, grouping(g) AS tg, grouping(c) AS tc,
       count() AS people, sum(items) AS items
FROM (
    SELECT toMonday(day) AS week, person,
           argMax(org_unit, day) AS u, argMax(grade, day) AS g, argMax(cohort, day) AS c, toUInt64(uniqExactMerge(events)) AS items
    FROM {db}.intranet_daily
    WHERE tenant = @tenant AND kind = 'publish' AND referent
    GROUP BY week, person
)
GROUP BY GROUPING SETS ((week, u, g, c), (week, u, g), (week, u, c), (week, g, c), (week, u), (week, g), (week, c), (week))
