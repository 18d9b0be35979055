-- Scored people of the selection in every wave of an instrument (the
-- caller keeps the waves answered in the period): each person counted
-- once per wave, in the unit, grade and cohort of their newest scoring.
SELECT wave, count() AS n
FROM (
    SELECT wave, person,
           argMax(org_unit, scored_at) AS u, argMax(grade, scored_at) AS g, argMax(cohort, scored_at) AS c
    FROM {db}.readiness_persons
    WHERE tenant = @tenant AND instrument_id = @instrument
    GROUP BY wave, person
)
WHERE (@unit = '' OR u = @unit) AND (@grade = '' OR g = @grade) AND (@cohort = '' OR c = @cohort)
GROUP BY wave
