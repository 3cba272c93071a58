import type { ReactNode } from "react";

/** A showback page's headline figures: a term and its value each. */
export function SummaryFigures({
  testId,
  items,
}: {
  testId: string;
  items: { term: ReactNode; value: ReactNode; className?: string; testId?: string; valueTestId?: string }[];
}) {
  return (
    <dl className="finops-summary" data-testid={testId}>
      {items.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list per page
        <div key={i} className={item.className} data-testid={item.testId}>
          <dt>{item.term}</dt>
          <dd data-testid={item.valueTestId}>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
