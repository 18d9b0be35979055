-- People with intranet or diary records in the period: in the selection
-- and in the whole tenant, for both streams together and for the intranet
-- alone, with the tenant's last intranet week in the period (no filter).
-- Intranet days come from the weekly rollup for whole weeks and from the
-- daily one for a partial first or last week, as in Panel.intranet.
SELECT uniqExactIf(person, sel) AS n, uniqExact(person) AS entity,
       uniqExactIf(person, sel AND src = 0) AS n_intranet, uniqExactIf(person, src = 0) AS entity_intranet,
       maxIf(week, src = 0) AS last_week
FROM (
    SELECT 0 AS src, person, week,
           (@unit = '' OR org_unit = @unit) AND (@grade = '' OR grade = @grade) AND (@cohort = '' OR cohort = @cohort) AS sel
    FROM {db}.intranet_weekly
    WHERE tenant = @tenant AND week >= toDate(@wfrom) AND week <= toDate(@wto)
    UNION ALL
    SELECT 0 AS src, person, toMonday(day) AS week,
           (@unit = '' OR org_unit = @unit) AND (@grade = '' OR grade = @grade) AND (@cohort = '' OR cohort = @cohort) AS sel
    FROM {db}.intranet_daily
    WHERE tenant = @tenant AND day >= toDate(@from) AND day <= toDate(@to) AND (day < toDate(@wfrom) OR day > toDate(@wend))
    UNION ALL
    SELECT 1 AS src, person, toMonday(date) AS week,
           (@unit = '' OR org_unit = @unit) AND (@grade = '' OR grade = @grade) AND (@cohort = '' OR cohort = @cohort) AS sel
    FROM {db}.diary_entries FINAL
    WHERE tenant = @tenant AND date >= toDate(@from) AND date <= toDate(@to)
)
