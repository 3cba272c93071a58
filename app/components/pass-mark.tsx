/**
 * ✓ or ✗ for the eye, and the same verdict in words for a screen reader (the symbol itself is hidden from it).
 * `null` is "not checked yet".
 */
export function PassMark({ passed, words }: { passed: boolean | null; words?: [string, string] }) {
  const [yes, no] = words ?? ["Passed", "Failed"];
  return (
    <>
      <span className="check-mark" aria-hidden="true">
        {passed === null ? "·" : passed ? "✓" : "✗"}
      </span>
      <span className="sr-only">{passed === null ? "Not checked yet: " : `${passed ? yes : no}: `}</span>
    </>
  );
}

/** Difficulty as dots (●●●○○) with the same figure in words for screen readers. */
export function DifficultyDots({ level, max = 5 }: { level: number; max?: number }) {
  return (
    <span
      className="difficulty"
      role="img"
      aria-label={`Difficulty ${level} of ${max}`}
      title={`Difficulty ${level} of ${max}`}
    >
      {"●".repeat(level)}
      <span className="difficulty-rest">{"○".repeat(Math.max(0, max - level))}</span>
    </span>
  );
}
