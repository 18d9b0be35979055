-- The diary lattice of every ISO week: per week and cell of unit x grade x
-- cohort, margins included (grouping() = 1 marks a coordinate aggregated
-- away), the people who wrote and the sum and sum of squares of their
-- person-week mean of each rating. Each writer has one unit, grade and
-- cohort per week (the latest entry's), so count() counts distinct people
-- and every margin is the sum of its parts. All weeks at once, whatever
-- the page's period: a week's cells and protection never depend on it.
SELECT week, u, g, c, grouping(u) AS tu, grouping(g) AS tg, grouping(c) AS tc, count() AS people,
       sum(rp) AS sp, sum(rp * rp) AS ssp, sum(rb) AS sb, sum(rb * rb) AS ssb, sum(rc) AS sc, sum(rc * rc) AS ssc
FROM (
    SELECT toMonday(date) AS week, person,
           argMax(org_unit, ingested_at) AS u, argMax(grade, ingested_at) AS g, argMax(cohort, ingested_at) AS c,
           avg(productivity) AS rp, avg(work_life_balance) AS rb, avg(connection) AS rc
    FROM {db}.diary_entries FINAL
    WHERE tenant = @tenant
    GROUP BY week, person
)
GROUP BY GROUPING SETS ((week, u, g, c), (week, u, g), (week, u, c), (week, g, c), (week, u), (week, g), (week, c), (week))
