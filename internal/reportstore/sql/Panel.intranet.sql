-- Person-week panel of intranet use for one tenant and period, from the
-- daily rollup: all intranet events and cloud-tool actions per person and
-- ISO week. A person-week is observed when the person had any event.
SELECT person, org_unit, grade, cohort, toMonday(day) AS week,
       sum(events) AS ev,
       sumIf(events, kind = 'cloud_tool') AS cl
FROM {db}.intranet_daily
WHERE tenant = @tenant AND day >= toDate(@from) AND day <= toDate(@to)
GROUP BY person, org_unit, grade, cohort, week
