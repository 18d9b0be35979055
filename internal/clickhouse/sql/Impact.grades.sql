-- The grade of each of a tenant's people with intranet or diary records
-- in the period (the latest grade they had in it), for the pilot effects
-- by grade group. No unit, grade or cohort filter: the effects by group
-- are published for the whole entity only, and this is read only then.
SELECT person, argMax(grade, day) AS grade
FROM (
    SELECT person, grade, week AS day
    FROM {db}.intranet_weekly
    WHERE tenant = @tenant AND week >= toMonday(toDate(@from)) AND week <= toDate(@to)
    UNION ALL
    SELECT person, grade, date AS day
    FROM {db}.diary_entries FINAL
    WHERE tenant = @tenant AND date >= toDate(@from) AND date <= toDate(@to)
)
GROUP BY person
