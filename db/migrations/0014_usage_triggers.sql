-- usage_dim_daily (usage per UTC day and dimension combination) is kept by these triggers, so every writer of
-- usage_records keeps it exact; each also marks the day dirty, so attribution recomputes that day's allocation
-- (app/.server/usage/allocate.ts). The store (usage/store.ts) writes a re-imported row only when its figures
-- changed, so importing the same file again fires nothing.
CREATE TRIGGER usage_records_insert AFTER INSERT ON usage_records BEGIN
  INSERT INTO usage_dim_daily (day, dim_id, records, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, metered_cost_micros, metered_input_tokens, metered_cached_input_tokens, metered_output_tokens)
  VALUES (cast(NEW.period_start / 86400000 as integer) * 86400000, NEW.dim_id, 1, coalesce(NEW.calls, 0), NEW.input_tokens, NEW.cached_input_tokens, NEW.output_tokens, NEW.cost_micros, CASE WHEN NEW.calls IS NULL THEN 0 ELSE NEW.cost_micros END, CASE WHEN NEW.calls IS NULL THEN 0 ELSE NEW.input_tokens END, CASE WHEN NEW.calls IS NULL THEN 0 ELSE NEW.cached_input_tokens END, CASE WHEN NEW.calls IS NULL THEN 0 ELSE NEW.output_tokens END)
  ON CONFLICT (day, dim_id) DO UPDATE SET
    records = records + excluded.records,
    calls = calls + excluded.calls,
    input_tokens = input_tokens + excluded.input_tokens,
    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    cost_micros = cost_micros + excluded.cost_micros,
    metered_cost_micros = metered_cost_micros + excluded.metered_cost_micros,
    metered_input_tokens = metered_input_tokens + excluded.metered_input_tokens,
    metered_cached_input_tokens = metered_cached_input_tokens + excluded.metered_cached_input_tokens,
    metered_output_tokens = metered_output_tokens + excluded.metered_output_tokens;
  INSERT OR IGNORE INTO usage_dirty_days (day) VALUES (cast(NEW.period_start / 86400000 as integer) * 86400000);
END;
--> statement-breakpoint
CREATE TRIGGER usage_records_delete AFTER DELETE ON usage_records BEGIN
  UPDATE usage_dim_daily SET
    records = records - 1, calls = calls - coalesce(OLD.calls, 0), input_tokens = input_tokens - OLD.input_tokens,
    cached_input_tokens = cached_input_tokens - OLD.cached_input_tokens, output_tokens = output_tokens - OLD.output_tokens,
    cost_micros = cost_micros - OLD.cost_micros, metered_cost_micros = metered_cost_micros - CASE WHEN OLD.calls IS NULL THEN 0 ELSE OLD.cost_micros END,
    metered_input_tokens = metered_input_tokens - CASE WHEN OLD.calls IS NULL THEN 0 ELSE OLD.input_tokens END,
    metered_cached_input_tokens = metered_cached_input_tokens - CASE WHEN OLD.calls IS NULL THEN 0 ELSE OLD.cached_input_tokens END,
    metered_output_tokens = metered_output_tokens - CASE WHEN OLD.calls IS NULL THEN 0 ELSE OLD.output_tokens END
  WHERE day = cast(OLD.period_start / 86400000 as integer) * 86400000 AND dim_id = OLD.dim_id;
  INSERT OR IGNORE INTO usage_dirty_days (day) VALUES (cast(OLD.period_start / 86400000 as integer) * 86400000);
END;
--> statement-breakpoint
CREATE TRIGGER usage_records_update AFTER UPDATE OF dim_id, period_start, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros ON usage_records BEGIN
  UPDATE usage_dim_daily SET
    records = records - 1, calls = calls - coalesce(OLD.calls, 0), input_tokens = input_tokens - OLD.input_tokens,
    cached_input_tokens = cached_input_tokens - OLD.cached_input_tokens, output_tokens = output_tokens - OLD.output_tokens,
    cost_micros = cost_micros - OLD.cost_micros, metered_cost_micros = metered_cost_micros - CASE WHEN OLD.calls IS NULL THEN 0 ELSE OLD.cost_micros END,
    metered_input_tokens = metered_input_tokens - CASE WHEN OLD.calls IS NULL THEN 0 ELSE OLD.input_tokens END,
    metered_cached_input_tokens = metered_cached_input_tokens - CASE WHEN OLD.calls IS NULL THEN 0 ELSE OLD.cached_input_tokens END,
    metered_output_tokens = metered_output_tokens - CASE WHEN OLD.calls IS NULL THEN 0 ELSE OLD.output_tokens END
  WHERE day = cast(OLD.period_start / 86400000 as integer) * 86400000 AND dim_id = OLD.dim_id;
  INSERT OR IGNORE INTO usage_dirty_days (day) VALUES (cast(OLD.period_start / 86400000 as integer) * 86400000);
  INSERT INTO usage_dim_daily (day, dim_id, records, calls, input_tokens, cached_input_tokens, output_tokens, cost_micros, metered_cost_micros, metered_input_tokens, metered_cached_input_tokens, metered_output_tokens)
  VALUES (cast(NEW.period_start / 86400000 as integer) * 86400000, NEW.dim_id, 1, coalesce(NEW.calls, 0), NEW.input_tokens, NEW.cached_input_tokens, NEW.output_tokens, NEW.cost_micros, CASE WHEN NEW.calls IS NULL THEN 0 ELSE NEW.cost_micros END, CASE WHEN NEW.calls IS NULL THEN 0 ELSE NEW.input_tokens END, CASE WHEN NEW.calls IS NULL THEN 0 ELSE NEW.cached_input_tokens END, CASE WHEN NEW.calls IS NULL THEN 0 ELSE NEW.output_tokens END)
  ON CONFLICT (day, dim_id) DO UPDATE SET
    records = records + excluded.records,
    calls = calls + excluded.calls,
    input_tokens = input_tokens + excluded.input_tokens,
    cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    cost_micros = cost_micros + excluded.cost_micros,
    metered_cost_micros = metered_cost_micros + excluded.metered_cost_micros,
    metered_input_tokens = metered_input_tokens + excluded.metered_input_tokens,
    metered_cached_input_tokens = metered_cached_input_tokens + excluded.metered_cached_input_tokens,
    metered_output_tokens = metered_output_tokens + excluded.metered_output_tokens;
  INSERT OR IGNORE INTO usage_dirty_days (day) VALUES (cast(NEW.period_start / 86400000 as integer) * 86400000);
END;
