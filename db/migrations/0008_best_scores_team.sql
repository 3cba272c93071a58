-- The progress grid reads the all-time best scores by team. best_scores.team_id holds the learner's current team on
-- the all-time rows (null on week and month rows), with a partial covering index on them, so the grid for 500
-- teams reads one index range in (team, exercise, score) order instead of joining users and sorting ~75,000 rows.
ALTER TABLE `best_scores` ADD `team_id` integer;--> statement-breakpoint
UPDATE `best_scores` SET `team_id` = (SELECT `team_id` FROM `users` WHERE `users`.`id` = `best_scores`.`user_id`)
 WHERE `period` = 'all';--> statement-breakpoint
CREATE INDEX `best_scores_team` ON `best_scores` (`team_id`,`exercise_id`,`best_score`,`passed`) WHERE period = 'all';--> statement-breakpoint
-- A learner who changes team takes their all-time rows along (a primary-key range per learner).
CREATE TRIGGER best_scores_follow_team AFTER UPDATE OF team_id ON users
  WHEN NEW.team_id IS NOT OLD.team_id BEGIN
  UPDATE best_scores SET team_id = NEW.team_id WHERE period = 'all' AND period_start = 0 AND user_id = NEW.id;
END;
