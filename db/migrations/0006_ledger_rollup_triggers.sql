-- The ledger_rollup table (0005) is kept by these triggers, so every writer of the ledger keeps it exact
-- (app/.server/finops/rollup.ts reads it). The ledger is append-only in the app; the delete and update
-- triggers keep the rollup exact for test clean-ups, back-dated test rows and retention jobs. The
-- existing ledger is rolled up once at the end (bench/org-generate.ts runs those statements after a bulk load).
CREATE TRIGGER ledger_rollup_insert AFTER INSERT ON model_calls BEGIN
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
--> statement-breakpoint
CREATE TRIGGER ledger_rollup_delete AFTER DELETE ON model_calls BEGIN
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
END;
--> statement-breakpoint
CREATE TRIGGER ledger_rollup_update AFTER UPDATE ON model_calls BEGIN
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
--> statement-breakpoint
INSERT INTO ledger_rollup (grain, period_start, department_id, team_id, course_id, provider, model, tier, purpose, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
SELECT 'day', cast(m.created_at / 86400000 as integer) * 86400000, coalesce(m.department_id, 0), coalesce(m.team_id, 0), coalesce(m.course_id, 0), m.provider,
  m.model, m.tier, m.purpose, count(*), sum(m.input_tokens), sum(m.cached_input_tokens), sum(m.output_tokens),
  sum(m.cost_micros), sum(m.cache_hit), sum(m.saved_micros)
FROM model_calls m GROUP BY 2, 3, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO ledger_rollup (grain, period_start, department_id, team_id, course_id, provider, model, tier, purpose, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
SELECT 'month', unixepoch(date(m.created_at / 1000, 'unixepoch', 'start of month')) * 1000, coalesce(m.department_id, 0), coalesce(m.team_id, 0), coalesce(m.course_id, 0), m.provider,
  m.model, m.tier, m.purpose, count(*), sum(m.input_tokens), sum(m.cached_input_tokens), sum(m.output_tokens),
  sum(m.cost_micros), sum(m.cache_hit), sum(m.saved_micros)
FROM model_calls m GROUP BY 2, 3, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO ledger_rollup (grain, period_start, department_id, team_id, course_id, provider, model, tier, purpose, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, cache_hits, saved_micros)
SELECT 'all', 0, coalesce(m.department_id, 0), coalesce(m.team_id, 0), coalesce(m.course_id, 0), m.provider,
  m.model, m.tier, m.purpose, count(*), sum(m.input_tokens), sum(m.cached_input_tokens), sum(m.output_tokens),
  sum(m.cost_micros), sum(m.cache_hit), sum(m.saved_micros)
FROM model_calls m GROUP BY 2, 3, 4, 5, 6, 7, 8, 9;
