-- Filter values of one tenant: every unit, grade and cohort seen in the
-- intranet rollup, the diaries or the questionnaires.
SELECT DISTINCT org_unit, grade, cohort FROM (
    SELECT DISTINCT org_unit, grade, cohort FROM {db}.intranet_daily WHERE tenant = @tenant
    UNION ALL
    SELECT DISTINCT org_unit, grade, cohort FROM {db}.diary_entries WHERE tenant = @tenant
    UNION ALL
    SELECT DISTINCT org_unit, grade, cohort FROM {db}.survey_answers WHERE tenant = @tenant
)
