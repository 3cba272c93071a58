import { createHash } from "node:crypto";
import { costMicros } from "~/domain/cost";
import type { ModelInfo } from "~/domain/models";
import type * as cache from "../cache";
import { closeUnknown, openCall, settleCall } from "../ledger";
import { log } from "../log";
import { getModel } from "../models";
import type { Embeddings } from "../providers";
import { type CallEnv, nextKey } from "./call-env";

/** Distinct prompt texts whose embeddings a process keeps, per embeddings client. */
const EMBEDDING_MEMO_LIMIT = 256;
/**
 * After a failed embeddings call, prompts are compared locally for this long, rather than every lookup
 * waiting on a provider that is down (up to LLM_TIMEOUT_MS each).
 */
export const EMBEDDING_RETRY_AFTER_MS = 60_000;

interface EmbeddingMemo {
  /** By sha256 of the text, oldest first; a pending call is shared by every lookup of the same text. */
  byText: Map<string, Promise<cache.PromptEmbedding | null>>;
  failedUntil: number;
}

const memos = new WeakMap<Embeddings, EmbeddingMemo>();

/**
 * The provider's embedding of a prompt for the semantic cache, or null to compare prompts locally
 * (no embeddings model, or the call failed). A job runs its prompt on every test input at once, so the
 * same text is looked up several times: one call, made for (and tagged like) the first lookup, serves
 * them all, and later jobs with the same text while it is remembered. A reused vector is no call and
 * writes no ledger row.
 */
export async function embedPrompt(env: CallEnv, text: string): Promise<cache.PromptEmbedding | null> {
  const embeddings = env.provider.embeddings;
  if (!embeddings) return null;
  let memo = memos.get(embeddings);
  if (!memo) {
    memo = { byText: new Map(), failedUntil: 0 };
    memos.set(embeddings, memo);
  }
  if (Date.now() < memo.failedUntil) return null;
  const key = createHash("sha256").update(text).digest("hex");
  const known = memo.byText.get(key);
  if (known) {
    memo.byText.delete(key);
    memo.byText.set(key, known);
    return known;
  }
  const byText = memo.byText;
  const pending = embedAndRecord(env, embeddings, text, memo).then((embedding) => {
    // A failure is not remembered: the next lookup after the pause tries again.
    if (!embedding && byText.get(key) === pending) byText.delete(key);
    return embedding;
  });
  byText.set(key, pending);
  if (byText.size > EMBEDDING_MEMO_LIMIT) byText.delete(byText.keys().next().value as string);
  return pending;
}

/**
 * One embeddings call, through the provider's limiter, written ahead to the ledger as purpose "embedding" (pending
 * before it is sent, settled after). Never retried: a failure only means prompts are compared locally.
 */
async function embedAndRecord(
  env: CallEnv,
  embeddings: Embeddings,
  text: string,
  memo: EmbeddingMemo,
): Promise<cache.PromptEmbedding | null> {
  const { database, provider, tags } = env;
  let model: ModelInfo;
  try {
    model = getModel(embeddings.model, database);
  } catch {
    // Checked at start-up (providerFromConfig); without a price the call is not made at all.
    log.error(`semantic cache: "${embeddings.model}" is not in the model catalogue; comparing prompts locally`);
    return null;
  }
  const priced = { ...model, provider: provider.name };
  const prefix = `${env.keyPrefix}:embed`;
  // The estimate: about four characters a token, the text's length being all an embeddings call bills.
  const estimateMicros = costMicros(model, { input: Math.ceil(text.length / 4), output: 0 });
  const sent = await env.limiter.run(async () => {
    // The row is written once the call holds its slot, right before it leaves: a call still queued for a slot when
    // the process dies or drains was never sent, and leaves no row.
    if (env.drain?.aborted || env.signal?.aborted) return null;
    const k = database.transaction(
      (tx) => {
        env.guard?.(tx);
        const k = nextKey(tx, prefix);
        openCall(tx, {
          model: priced,
          purpose: "embedding",
          tags,
          idempotencyKey: k,
          estimateMicros,
          owner: env.owner,
          providerModel: embeddings.providerModel,
        });
        return k;
      },
      { behavior: "immediate" },
    );
    return { key: k, result: await embeddings.embed({ model, texts: [text], signal: env.signal }) };
  });
  if (!sent) return null;
  const { result } = sent;
  if (result.ok) {
    settleCall(database, sent.key, { model: priced, tokens: result.usage, latencyMs: result.latencyMs, status: "ok" });
  } else if (result.error.outcome === "unknown") {
    closeUnknown(database, sent.key);
  } else {
    settleCall(database, sent.key, {
      model: priced,
      tokens: { input: 0, output: 0 },
      latencyMs: result.latencyMs,
      status: "error",
    });
  }
  if (env.signal?.aborted) return null;
  if (!result.ok) {
    memo.failedUntil = Date.now() + EMBEDDING_RETRY_AFTER_MS;
    // The message is the adapter's, with the key redacted.
    const pause = EMBEDDING_RETRY_AFTER_MS / 1000;
    log.error(
      `semantic cache: the embeddings call to ${result.providerModel} failed ` +
        `(${result.error.kind}: ${result.error.message}); comparing prompts locally for ${pause} s`,
    );
    return null;
  }
  const vector = result.vectors[0];
  return vector?.length ? { model: `${provider.name}:${embeddings.model}`, vector } : null;
}
