-- The learner each journey statement already queued is about: the one assigned (the object of "assign"), or the one
-- who completed (the actor of "completed"), by their mailto: address. Graded-attempt statements keep their attempt.
UPDATE `xapi_statements` SET `user_id` = (
  SELECT `users`.`id` FROM `users`
  WHERE 'mailto:' || `users`.`email` = json_extract(
    `xapi_statements`.`statement`,
    CASE json_extract(`xapi_statements`.`statement`, '$.verb.id')
      WHEN 'http://activitystrea.ms/schema/1.0/assign' THEN '$.object.mbox'
      ELSE '$.actor.mbox'
    END
  )
)
WHERE `attempt_id` IS NULL AND `user_id` IS NULL;
