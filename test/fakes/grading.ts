import type { FakeReply, Handler, RecordedRequest } from "./http";
import { targetText } from "./http";

/** True for a request to the embeddings endpoint (the semantic cache's). */
export function isEmbeddingsRequest(req: RecordedRequest): boolean {
  return req.path.endsWith("/embeddings");
}

/** True for a request made by the LLM judge (its system message asks for the JSON verdicts). */
export function isJudgeRequest(req: RecordedRequest): boolean {
  return req.messages[0]?.role === "system" && req.messages[0].content.includes("strict, impartial grader");
}

/** The rubric criterion ids the judge was asked about, read back from its system message. */
export function criterionIds(req: RecordedRequest): string[] {
  const line = req.messages[0].content.match(/criterion id, in this order: ([^.]+)\./);
  return line ? line[1].split(",").map((s) => s.trim()) : [];
}

export function verdictJson(ids: string[], score = 8, reason = "The output meets this criterion."): string {
  return JSON.stringify({ verdicts: ids.map((criterion) => ({ criterion, pass: score >= 6, score, reason })) });
}

/**
 * A provider that plays every role of live grading: the target model echoes its input, the judge
 * answers a well-formed verdict for every criterion, the embeddings endpoint answers deterministic
 * vectors (fakeEmbedding). Any role can be overridden per request, e.g. `embeddings: () => serverError()`.
 */
export function gradingHandler(
  opts: {
    score?: number;
    target?: (req: RecordedRequest) => FakeReply;
    judge?: (req: RecordedRequest) => FakeReply;
    embeddings?: (req: RecordedRequest) => FakeReply;
  } = {},
): Handler {
  return (req) => {
    // Undefined: the server's default vectors.
    if (isEmbeddingsRequest(req)) return opts.embeddings?.(req);
    if (isJudgeRequest(req)) return opts.judge?.(req) ?? { text: verdictJson(criterionIds(req), opts.score ?? 8) };
    return opts.target?.(req) ?? { text: targetText(req.messages) };
  };
}
