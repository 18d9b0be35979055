-- The people Bussola knows per interior cell (unit x grade x cohort) of a
-- tenant, all time: everyone seen in the weekly intranet rollup, the
-- diaries or the questionnaires, in the cell of their latest record
-- (each person counted once). The weekly lattices protect their cells by
-- it, so a small cell whose people never wrote or published is hidden
-- like one whose people did (issue 9, membership).
SELECT u, g, c, count() AS people
FROM (
    SELECT person, argMax(org_unit, t) AS u, argMax(grade, t) AS g, argMax(cohort, t) AS c
    FROM (
        SELECT person, org_unit, grade, cohort, toDateTime64(week, 3) AS t
        FROM {db}.intranet_weekly
        WHERE tenant = @tenant
        UNION ALL
        SELECT person, org_unit, grade, cohort, toDateTime64(date, 3) AS t
        FROM {db}.diary_entries FINAL
        WHERE tenant = @tenant
        UNION ALL
        SELECT person, org_unit, grade, cohort, submitted_at AS t
        FROM {db}.survey_answers FINAL
        WHERE tenant = @tenant
    )
    GROUP BY person
)
GROUP BY u, g, c
