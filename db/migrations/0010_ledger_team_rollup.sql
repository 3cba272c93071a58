-- ledger_team_rollup is ledger_rollup by department and team only (~500 rows a month for 500 teams): the team and
-- department views, budgets and leaderboard spend read it. Kept from ledger_rollup by triggers, as ledger_org_rollup
-- is (0007), for every grain. A ledger_rollup row's keys never change in practice (its triggers only add to the
-- sums), so the usual update moves just the difference, in one upsert; the "rekey" triggers keep the rollups exact
-- if a key ever does change. ledger_org_rollup's update trigger is replaced by the same pair.
CREATE TABLE `ledger_team_rollup` (
	`grain` text NOT NULL,
	`period_start` integer NOT NULL,
	`department_id` integer NOT NULL,
	`team_id` integer NOT NULL,
	`calls` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`cached_input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cost_micros` integer NOT NULL,
	`cache_hits` integer NOT NULL,
	`saved_micros` integer NOT NULL,
	PRIMARY KEY(`grain`, `period_start`, `department_id`, `team_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER ledger_team_rollup_insert AFTER INSERT ON ledger_rollup BEGIN
  INSERT INTO ledger_team_rollup (grain, period_start, department_id, team_id, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
  VALUES (NEW.grain, NEW.period_start, NEW.department_id, NEW.team_id, NEW.calls, NEW.input_tokens, NEW.cached_input_tokens, NEW.output_tokens, NEW.cost_micros, NEW.cache_hits, NEW.saved_micros)
  ON CONFLICT (grain, period_start, department_id, team_id) DO UPDATE SET
    calls = calls + excluded.calls,
    input_tokens = input_tokens + excluded.input_tokens,
    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    cost_micros = cost_micros + excluded.cost_micros,
    cache_hits = cache_hits + excluded.cache_hits,
    saved_micros = saved_micros + excluded.saved_micros;
END;
--> statement-breakpoint
CREATE TRIGGER ledger_team_rollup_update AFTER UPDATE ON ledger_rollup
  WHEN NEW.grain IS OLD.grain AND NEW.period_start IS OLD.period_start AND NEW.department_id IS OLD.department_id AND NEW.team_id IS OLD.team_id BEGIN
  INSERT INTO ledger_team_rollup (grain, period_start, department_id, team_id, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
  VALUES (NEW.grain, NEW.period_start, NEW.department_id, NEW.team_id, NEW.calls - OLD.calls, NEW.input_tokens - OLD.input_tokens, NEW.cached_input_tokens - OLD.cached_input_tokens, NEW.output_tokens - OLD.output_tokens, NEW.cost_micros - OLD.cost_micros, NEW.cache_hits - OLD.cache_hits, NEW.saved_micros - OLD.saved_micros)
  ON CONFLICT (grain, period_start, department_id, team_id) DO UPDATE SET
    calls = calls + excluded.calls,
    input_tokens = input_tokens + excluded.input_tokens,
    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    cost_micros = cost_micros + excluded.cost_micros,
    cache_hits = cache_hits + excluded.cache_hits,
    saved_micros = saved_micros + excluded.saved_micros;
END;
--> statement-breakpoint
CREATE TRIGGER ledger_team_rollup_rekey AFTER UPDATE ON ledger_rollup
  WHEN NOT (NEW.grain IS OLD.grain AND NEW.period_start IS OLD.period_start AND NEW.department_id IS OLD.department_id AND NEW.team_id IS OLD.team_id) BEGIN
  INSERT INTO ledger_team_rollup (grain, period_start, department_id, team_id, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
  VALUES (OLD.grain, OLD.period_start, OLD.department_id, OLD.team_id, -OLD.calls, -OLD.input_tokens, -OLD.cached_input_tokens, -OLD.output_tokens, -OLD.cost_micros, -OLD.cache_hits, -OLD.saved_micros)
  ON CONFLICT (grain, period_start, department_id, team_id) DO UPDATE SET
    calls = calls + excluded.calls,
    input_tokens = input_tokens + excluded.input_tokens,
    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    cost_micros = cost_micros + excluded.cost_micros,
    cache_hits = cache_hits + excluded.cache_hits,
    saved_micros = saved_micros + excluded.saved_micros;
  INSERT INTO ledger_team_rollup (grain, period_start, department_id, team_id, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
  VALUES (NEW.grain, NEW.period_start, NEW.department_id, NEW.team_id, NEW.calls, NEW.input_tokens, NEW.cached_input_tokens, NEW.output_tokens, NEW.cost_micros, NEW.cache_hits, NEW.saved_micros)
  ON CONFLICT (grain, period_start, department_id, team_id) DO UPDATE SET
    calls = calls + excluded.calls,
    input_tokens = input_tokens + excluded.input_tokens,
    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    cost_micros = cost_micros + excluded.cost_micros,
    cache_hits = cache_hits + excluded.cache_hits,
    saved_micros = saved_micros + excluded.saved_micros;
END;
--> statement-breakpoint
CREATE TRIGGER ledger_team_rollup_delete AFTER DELETE ON ledger_rollup BEGIN
  INSERT INTO ledger_team_rollup (grain, period_start, department_id, team_id, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
  VALUES (OLD.grain, OLD.period_start, OLD.department_id, OLD.team_id, -OLD.calls, -OLD.input_tokens, -OLD.cached_input_tokens, -OLD.output_tokens, -OLD.cost_micros, -OLD.cache_hits, -OLD.saved_micros)
  ON CONFLICT (grain, period_start, department_id, team_id) DO UPDATE SET
    calls = calls + excluded.calls,
    input_tokens = input_tokens + excluded.input_tokens,
    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    cost_micros = cost_micros + excluded.cost_micros,
    cache_hits = cache_hits + excluded.cache_hits,
    saved_micros = saved_micros + excluded.saved_micros;
END;
--> statement-breakpoint
DROP TRIGGER ledger_org_rollup_update;
--> statement-breakpoint
CREATE TRIGGER ledger_org_rollup_update AFTER UPDATE ON ledger_rollup
  WHEN NEW.grain <> 'all' AND NEW.grain IS OLD.grain AND NEW.period_start IS OLD.period_start AND NEW.department_id IS OLD.department_id AND NEW.course_id IS OLD.course_id AND NEW.provider IS OLD.provider AND NEW.model IS OLD.model AND NEW.tier IS OLD.tier AND NEW.purpose IS OLD.purpose BEGIN
  INSERT INTO ledger_org_rollup (grain, period_start, department_id, course_id, provider, model, tier, purpose, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
  VALUES (NEW.grain, NEW.period_start, NEW.department_id, NEW.course_id, NEW.provider, NEW.model, NEW.tier, NEW.purpose, NEW.calls - OLD.calls, NEW.input_tokens - OLD.input_tokens, NEW.cached_input_tokens - OLD.cached_input_tokens, NEW.output_tokens - OLD.output_tokens, NEW.cost_micros - OLD.cost_micros, NEW.cache_hits - OLD.cache_hits, NEW.saved_micros - OLD.saved_micros)
  ON CONFLICT (grain, period_start, department_id, course_id, provider, model, tier, purpose) DO UPDATE SET
    calls = calls + excluded.calls,
    input_tokens = input_tokens + excluded.input_tokens,
    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    cost_micros = cost_micros + excluded.cost_micros,
    cache_hits = cache_hits + excluded.cache_hits,
    saved_micros = saved_micros + excluded.saved_micros;
END;
--> statement-breakpoint
CREATE TRIGGER ledger_org_rollup_rekey AFTER UPDATE ON ledger_rollup
  WHEN NOT (NEW.grain IS OLD.grain AND NEW.period_start IS OLD.period_start AND NEW.department_id IS OLD.department_id AND NEW.course_id IS OLD.course_id AND NEW.provider IS OLD.provider AND NEW.model IS OLD.model AND NEW.tier IS OLD.tier AND NEW.purpose IS OLD.purpose) BEGIN
  INSERT INTO ledger_org_rollup (grain, period_start, department_id, course_id, provider, model, tier, purpose, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
  SELECT OLD.grain, OLD.period_start, OLD.department_id, OLD.course_id, OLD.provider, OLD.model, OLD.tier, OLD.purpose, -OLD.calls, -OLD.input_tokens, -OLD.cached_input_tokens, -OLD.output_tokens, -OLD.cost_micros, -OLD.cache_hits, -OLD.saved_micros WHERE OLD.grain <> 'all'
  ON CONFLICT (grain, period_start, department_id, course_id, provider, model, tier, purpose) DO UPDATE SET
    calls = calls + excluded.calls,
    input_tokens = input_tokens + excluded.input_tokens,
    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    cost_micros = cost_micros + excluded.cost_micros,
    cache_hits = cache_hits + excluded.cache_hits,
    saved_micros = saved_micros + excluded.saved_micros;
  INSERT INTO ledger_org_rollup (grain, period_start, department_id, course_id, provider, model, tier, purpose, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
  SELECT NEW.grain, NEW.period_start, NEW.department_id, NEW.course_id, NEW.provider, NEW.model, NEW.tier, NEW.purpose, NEW.calls, NEW.input_tokens, NEW.cached_input_tokens, NEW.output_tokens, NEW.cost_micros, NEW.cache_hits, NEW.saved_micros WHERE NEW.grain <> 'all'
  ON CONFLICT (grain, period_start, department_id, course_id, provider, model, tier, purpose) DO UPDATE SET
    calls = calls + excluded.calls,
    input_tokens = input_tokens + excluded.input_tokens,
    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    cost_micros = cost_micros + excluded.cost_micros,
    cache_hits = cache_hits + excluded.cache_hits,
    saved_micros = saved_micros + excluded.saved_micros;
END;
--> statement-breakpoint
INSERT INTO ledger_team_rollup (grain, period_start, department_id, team_id, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
SELECT grain, period_start, department_id, team_id, sum(calls), sum(input_tokens), sum(cached_input_tokens), sum(output_tokens), sum(cost_micros), sum(cache_hits), sum(saved_micros)
  FROM ledger_rollup
 GROUP BY grain, period_start, department_id, team_id;
