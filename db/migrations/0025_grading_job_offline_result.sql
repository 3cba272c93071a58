ALTER TABLE `grading_jobs` ADD `offline_result` text;
--> statement-breakpoint
-- The ledger's update trigger (0006) took a row out of its three rollup rows and put it back (six rollup writes,
-- each cascading to the team and organisation rollups) on every update of a ledger row, even one that changes no
-- summed column: the write-ahead ledger updates each row at least once (settled or closed), and a retried request
-- twice more (rejected, sent again). Now, while a row keeps its keys, only a change to a summed column touches the
-- rollups, by its difference, in one upsert per grain; a changed key (a back-dated test row) moves it as before.
DROP TRIGGER ledger_rollup_update;
--> statement-breakpoint
CREATE TRIGGER ledger_rollup_update AFTER UPDATE ON model_calls
  WHEN NEW.created_at IS OLD.created_at AND NEW.department_id IS OLD.department_id AND NEW.team_id IS OLD.team_id AND NEW.course_id IS OLD.course_id AND NEW.provider IS OLD.provider AND NEW.model IS OLD.model AND NEW.tier IS OLD.tier AND NEW.purpose IS OLD.purpose
    AND (NEW.input_tokens IS NOT OLD.input_tokens OR NEW.cached_input_tokens IS NOT OLD.cached_input_tokens OR NEW.output_tokens IS NOT OLD.output_tokens OR NEW.cost_micros IS NOT OLD.cost_micros OR NEW.cache_hit IS NOT OLD.cache_hit OR NEW.saved_micros IS NOT OLD.saved_micros) BEGIN
  INSERT INTO ledger_rollup (grain, period_start, department_id, team_id, course_id, provider, model, tier, purpose, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
  VALUES ('day', cast(NEW.created_at / 86400000 as integer) * 86400000, coalesce(NEW.department_id, 0), coalesce(NEW.team_id, 0),
    coalesce(NEW.course_id, 0), NEW.provider, NEW.model, NEW.tier, NEW.purpose, 0, NEW.input_tokens - OLD.input_tokens,
    NEW.cached_input_tokens - OLD.cached_input_tokens, NEW.output_tokens - OLD.output_tokens, NEW.cost_micros - OLD.cost_micros,
    NEW.cache_hit - OLD.cache_hit, NEW.saved_micros - OLD.saved_micros)
  ON CONFLICT (grain, period_start, department_id, team_id, course_id, provider, model, tier, purpose) DO UPDATE SET
    input_tokens = input_tokens + excluded.input_tokens,
    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
    output_tokens = output_tokens + excluded.output_tokens, cost_micros = cost_micros + excluded.cost_micros,
    cache_hits = cache_hits + excluded.cache_hits, saved_micros = saved_micros + excluded.saved_micros;
  INSERT INTO ledger_rollup (grain, period_start, department_id, team_id, course_id, provider, model, tier, purpose, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
  VALUES ('month', unixepoch(date(NEW.created_at / 1000, 'unixepoch', 'start of month')) * 1000, coalesce(NEW.department_id, 0), coalesce(NEW.team_id, 0),
    coalesce(NEW.course_id, 0), NEW.provider, NEW.model, NEW.tier, NEW.purpose, 0, NEW.input_tokens - OLD.input_tokens,
    NEW.cached_input_tokens - OLD.cached_input_tokens, NEW.output_tokens - OLD.output_tokens, NEW.cost_micros - OLD.cost_micros,
    NEW.cache_hit - OLD.cache_hit, NEW.saved_micros - OLD.saved_micros)
  ON CONFLICT (grain, period_start, department_id, team_id, course_id, provider, model, tier, purpose) DO UPDATE SET
    input_tokens = input_tokens + excluded.input_tokens,
    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
    output_tokens = output_tokens + excluded.output_tokens, cost_micros = cost_micros + excluded.cost_micros,
    cache_hits = cache_hits + excluded.cache_hits, saved_micros = saved_micros + excluded.saved_micros;
  INSERT INTO ledger_rollup (grain, period_start, department_id, team_id, course_id, provider, model, tier, purpose, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
  VALUES ('all', 0, coalesce(NEW.department_id, 0), coalesce(NEW.team_id, 0),
    coalesce(NEW.course_id, 0), NEW.provider, NEW.model, NEW.tier, NEW.purpose, 0, NEW.input_tokens - OLD.input_tokens,
    NEW.cached_input_tokens - OLD.cached_input_tokens, NEW.output_tokens - OLD.output_tokens, NEW.cost_micros - OLD.cost_micros,
    NEW.cache_hit - OLD.cache_hit, NEW.saved_micros - OLD.saved_micros)
  ON CONFLICT (grain, period_start, department_id, team_id, course_id, provider, model, tier, purpose) DO UPDATE SET
    input_tokens = input_tokens + excluded.input_tokens,
    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
    output_tokens = output_tokens + excluded.output_tokens, cost_micros = cost_micros + excluded.cost_micros,
    cache_hits = cache_hits + excluded.cache_hits, saved_micros = saved_micros + excluded.saved_micros;
END;
--> statement-breakpoint
CREATE TRIGGER ledger_rollup_rekey AFTER UPDATE ON model_calls
  WHEN NOT (NEW.created_at IS OLD.created_at AND NEW.department_id IS OLD.department_id AND NEW.team_id IS OLD.team_id AND NEW.course_id IS OLD.course_id AND NEW.provider IS OLD.provider AND NEW.model IS OLD.model AND NEW.tier IS OLD.tier AND NEW.purpose IS OLD.purpose) BEGIN
  UPDATE ledger_rollup SET
    calls = calls - 1, input_tokens = input_tokens - OLD.input_tokens,
    cached_input_tokens = cached_input_tokens - OLD.cached_input_tokens, output_tokens = output_tokens - OLD.output_tokens,
    cost_micros = cost_micros - OLD.cost_micros, cache_hits = cache_hits - OLD.cache_hit,
    saved_micros = saved_micros - OLD.saved_micros
  WHERE grain = 'day' AND period_start = cast(OLD.created_at / 86400000 as integer) * 86400000 AND department_id = coalesce(OLD.department_id, 0)
    AND team_id = coalesce(OLD.team_id, 0) AND course_id = coalesce(OLD.course_id, 0) AND provider = OLD.provider
    AND model = OLD.model AND tier = OLD.tier AND purpose = OLD.purpose;
  UPDATE ledger_rollup SET
    calls = calls - 1, input_tokens = input_tokens - OLD.input_tokens,
    cached_input_tokens = cached_input_tokens - OLD.cached_input_tokens, output_tokens = output_tokens - OLD.output_tokens,
    cost_micros = cost_micros - OLD.cost_micros, cache_hits = cache_hits - OLD.cache_hit,
    saved_micros = saved_micros - OLD.saved_micros
  WHERE grain = 'month' AND period_start = unixepoch(date(OLD.created_at / 1000, 'unixepoch', 'start of month')) * 1000 AND department_id = coalesce(OLD.department_id, 0)
    AND team_id = coalesce(OLD.team_id, 0) AND course_id = coalesce(OLD.course_id, 0) AND provider = OLD.provider
    AND model = OLD.model AND tier = OLD.tier AND purpose = OLD.purpose;
  UPDATE ledger_rollup SET
    calls = calls - 1, input_tokens = input_tokens - OLD.input_tokens,
    cached_input_tokens = cached_input_tokens - OLD.cached_input_tokens, output_tokens = output_tokens - OLD.output_tokens,
    cost_micros = cost_micros - OLD.cost_micros, cache_hits = cache_hits - OLD.cache_hit,
    saved_micros = saved_micros - OLD.saved_micros
  WHERE grain = 'all' AND period_start = 0 AND department_id = coalesce(OLD.department_id, 0)
    AND team_id = coalesce(OLD.team_id, 0) AND course_id = coalesce(OLD.course_id, 0) AND provider = OLD.provider
    AND model = OLD.model AND tier = OLD.tier AND purpose = OLD.purpose;
  INSERT INTO ledger_rollup (grain, period_start, department_id, team_id, course_id, provider, model, tier, purpose, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
  VALUES ('day', cast(NEW.created_at / 86400000 as integer) * 86400000, coalesce(NEW.department_id, 0), coalesce(NEW.team_id, 0),
    coalesce(NEW.course_id, 0), NEW.provider, NEW.model, NEW.tier, NEW.purpose, 1, NEW.input_tokens, NEW.cached_input_tokens,
    NEW.output_tokens, NEW.cost_micros, NEW.cache_hit, NEW.saved_micros)
  ON CONFLICT (grain, period_start, department_id, team_id, course_id, provider, model, tier, purpose) DO UPDATE SET
    calls = calls + 1, input_tokens = input_tokens + excluded.input_tokens,
    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
    output_tokens = output_tokens + excluded.output_tokens, cost_micros = cost_micros + excluded.cost_micros,
    cache_hits = cache_hits + excluded.cache_hits, saved_micros = saved_micros + excluded.saved_micros;
  INSERT INTO ledger_rollup (grain, period_start, department_id, team_id, course_id, provider, model, tier, purpose, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
  VALUES ('month', unixepoch(date(NEW.created_at / 1000, 'unixepoch', 'start of month')) * 1000, coalesce(NEW.department_id, 0), coalesce(NEW.team_id, 0),
    coalesce(NEW.course_id, 0), NEW.provider, NEW.model, NEW.tier, NEW.purpose, 1, NEW.input_tokens, NEW.cached_input_tokens,
    NEW.output_tokens, NEW.cost_micros, NEW.cache_hit, NEW.saved_micros)
  ON CONFLICT (grain, period_start, department_id, team_id, course_id, provider, model, tier, purpose) DO UPDATE SET
    calls = calls + 1, input_tokens = input_tokens + excluded.input_tokens,
    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
    output_tokens = output_tokens + excluded.output_tokens, cost_micros = cost_micros + excluded.cost_micros,
    cache_hits = cache_hits + excluded.cache_hits, saved_micros = saved_micros + excluded.saved_micros;
  INSERT INTO ledger_rollup (grain, period_start, department_id, team_id, course_id, provider, model, tier, purpose, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
  VALUES ('all', 0, coalesce(NEW.department_id, 0), coalesce(NEW.team_id, 0),
    coalesce(NEW.course_id, 0), NEW.provider, NEW.model, NEW.tier, NEW.purpose, 1, NEW.input_tokens, NEW.cached_input_tokens,
    NEW.output_tokens, NEW.cost_micros, NEW.cache_hit, NEW.saved_micros)
  ON CONFLICT (grain, period_start, department_id, team_id, course_id, provider, model, tier, purpose) DO UPDATE SET
    calls = calls + 1, input_tokens = input_tokens + excluded.input_tokens,
    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
    output_tokens = output_tokens + excluded.output_tokens, cost_micros = cost_micros + excluded.cost_micros,
    cache_hits = cache_hits + excluded.cache_hits, saved_micros = saved_micros + excluded.saved_micros;
END;
