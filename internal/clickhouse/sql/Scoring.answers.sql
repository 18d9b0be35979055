-- The numeric answers of one wave of one instrument version, one row per
-- respondent: the latest response of each person (by submitted_at), with
-- its items and values as parallel arrays.
-- A re-posted response may be stored twice until the merge collapses it:
-- LIMIT 1 BY event_id, item keeps one row of each answer (never FINAL).
WITH answers AS (
    SELECT person, event_id, org_unit, grade, cohort, submitted_at, item, value
    FROM {db}.survey_answers
    WHERE tenant = @tenant
      AND instrument_id = @instrument
      AND instrument_version = @version
      AND wave = @wave
      AND answer_type = 'number'
    LIMIT 1 BY event_id, item
)
SELECT person,
       any(org_unit)      AS org_unit,
       any(grade)         AS grade,
       any(cohort)        AS cohort,
       max(submitted_at)  AS submitted_at,
       groupArray(item)   AS items,
       groupArray(value)  AS values
FROM answers
WHERE (person, event_id) IN (
    SELECT person, argMax(event_id, submitted_at)
    FROM answers
    GROUP BY person
)
GROUP BY person
ORDER BY person
