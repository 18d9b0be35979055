-- Filter values of one tenant: every unit, grade and cohort seen in the
-- weekly intranet rollup, the diaries or the questionnaires.
SELECT DISTINCT org_unit, grade, cohort FROM (
    SELECT DISTINCT org_unit, grade, cohort FROM {db}.intranet_weekly WHERE tenant = @tenant
    UNION ALL
    SELECT DISTINCT org_unit, grade, cohort FROM {db}.diary_entries FINAL WHERE tenant = @tenant
    UNION ALL
    SELECT DISTINCT org_unit, grade, cohort FROM {db}.survey_answers FINAL WHERE tenant = @tenant
)
