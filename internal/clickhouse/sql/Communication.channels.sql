-- Channel presence from the tenant's latest communication-status answer.
SELECT replaceRegexpOne(item, '-presence$', '') AS channel, argMax(choice, submitted_at) AS presence
FROM {db}.survey_answers FINAL
WHERE tenant = @tenant AND instrument_id = 'comm-status' AND endsWith(item, '-presence')
GROUP BY channel
