import { Link } from "@remix-run/react";
import { formatMicros } from "~/domain/cost";
import { GradedBy } from "./grading-basis";

export interface AttemptRow {
  id: number;
  createdAt: string | Date;
  status: string;
  passed: boolean | null;
  score: number | null;
  quality: number | null;
  promptTokens: number | null;
  costPerCallMicros: number | null;
  judge: string | null;
}

export function AttemptHistory({ attempts, currentId }: { attempts: AttemptRow[]; currentId?: number }) {
  if (attempts.length === 0) return null;
  return (
    <section>
      <h2>Your attempts</h2>
      <table className="table" data-testid="attempt-history">
        <thead>
          <tr>
            <th>When (UTC)</th>
            <th>Result</th>
            <th>Score</th>
            <th>Quality</th>
            <th>Tokens</th>
            <th>Cost per call</th>
            <th>Graded by</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((a) => (
            <tr key={a.id} className={a.id === currentId ? "current" : undefined}>
              <td>{new Date(a.createdAt).toISOString().slice(0, 16).replace("T", " ")}</td>
              <td>
                {a.status !== "scored" ? (
                  <span className="badge">{a.status}</span>
                ) : a.passed ? (
                  <span className="badge pass">passed</span>
                ) : (
                  <span className="badge fail">not yet</span>
                )}
              </td>
              <td>{a.score ?? "—"}</td>
              <td>{a.quality ?? "—"}</td>
              <td>{a.promptTokens ?? "—"}</td>
              <td>{a.costPerCallMicros === null ? "—" : formatMicros(a.costPerCallMicros)}</td>
              <td>{a.status === "scored" ? <GradedBy judge={a.judge} /> : "—"}</td>
              <td>{a.id === currentId ? "this one" : <Link to={`/attempts/${a.id}`}>open</Link>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
