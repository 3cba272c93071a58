-- ledger_org_rollup is ledger_rollup without the team (the admin's showback reads a month's ~1,000 rows instead of
-- ~20,000). It is kept from ledger_rollup by the triggers below (day and month grains only: showback periods are
-- whole days), so it is exact whenever ledger_rollup is; model_calls' own triggers are unchanged. An upsert that
-- updates a ledger_rollup row fires its UPDATE trigger, which moves the difference (OLD out, NEW in).
CREATE TABLE `ledger_org_rollup` (
	`grain` text NOT NULL,
	`period_start` integer NOT NULL,
	`department_id` integer NOT NULL,
	`course_id` integer NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`tier` text NOT NULL,
	`purpose` text NOT NULL,
	`calls` integer NOT NULL,
	`input_tokens` integer NOT NULL,
	`cached_input_tokens` integer NOT NULL,
	`output_tokens` integer NOT NULL,
	`cost_micros` integer NOT NULL,
	`cache_hits` integer NOT NULL,
	`saved_micros` integer NOT NULL,
	PRIMARY KEY(`grain`, `period_start`, `department_id`, `course_id`, `provider`, `model`, `tier`, `purpose`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER ledger_org_rollup_insert AFTER INSERT ON ledger_rollup WHEN NEW.grain <> 'all' BEGIN
  INSERT INTO ledger_org_rollup (grain, period_start, department_id, course_id, provider, model, tier, purpose, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
  VALUES (NEW.grain, NEW.period_start, NEW.department_id, NEW.course_id, NEW.provider, NEW.model, NEW.tier, NEW.purpose, NEW.calls, NEW.input_tokens, NEW.cached_input_tokens, NEW.output_tokens, NEW.cost_micros, NEW.cache_hits, NEW.saved_micros)
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
CREATE TRIGGER ledger_org_rollup_update AFTER UPDATE ON ledger_rollup WHEN NEW.grain <> 'all' BEGIN
  INSERT INTO ledger_org_rollup (grain, period_start, department_id, course_id, provider, model, tier, purpose, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
  VALUES (OLD.grain, OLD.period_start, OLD.department_id, OLD.course_id, OLD.provider, OLD.model, OLD.tier, OLD.purpose, -OLD.calls, -OLD.input_tokens, -OLD.cached_input_tokens, -OLD.output_tokens, -OLD.cost_micros, -OLD.cache_hits, -OLD.saved_micros)
  ON CONFLICT (grain, period_start, department_id, course_id, provider, model, tier, purpose) DO UPDATE SET
    calls = calls + excluded.calls,
    input_tokens = input_tokens + excluded.input_tokens,
    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    cost_micros = cost_micros + excluded.cost_micros,
    cache_hits = cache_hits + excluded.cache_hits,
    saved_micros = saved_micros + excluded.saved_micros;
  INSERT INTO ledger_org_rollup (grain, period_start, department_id, course_id, provider, model, tier, purpose, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
  VALUES (NEW.grain, NEW.period_start, NEW.department_id, NEW.course_id, NEW.provider, NEW.model, NEW.tier, NEW.purpose, NEW.calls, NEW.input_tokens, NEW.cached_input_tokens, NEW.output_tokens, NEW.cost_micros, NEW.cache_hits, NEW.saved_micros)
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
CREATE TRIGGER ledger_org_rollup_delete AFTER DELETE ON ledger_rollup WHEN OLD.grain <> 'all' BEGIN
  INSERT INTO ledger_org_rollup (grain, period_start, department_id, course_id, provider, model, tier, purpose, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
  VALUES (OLD.grain, OLD.period_start, OLD.department_id, OLD.course_id, OLD.provider, OLD.model, OLD.tier, OLD.purpose, -OLD.calls, -OLD.input_tokens, -OLD.cached_input_tokens, -OLD.output_tokens, -OLD.cost_micros, -OLD.cache_hits, -OLD.saved_micros)
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
INSERT INTO ledger_org_rollup (grain, period_start, department_id, course_id, provider, model, tier, purpose, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
SELECT grain, period_start, department_id, course_id, provider, model, tier, purpose, sum(calls), sum(input_tokens), sum(cached_input_tokens), sum(output_tokens), sum(cost_micros), sum(cache_hits), sum(saved_micros)
  FROM ledger_rollup WHERE grain <> 'all'
 GROUP BY grain, period_start, department_id, course_id, provider, model, tier, purpose;
