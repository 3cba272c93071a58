import { Form, Link } from "@remix-run/react";

/** A showback page's period: from a day until (not including) another, shown on submit; a link back to this month. */
export function PeriodForm({ from, to, thisMonth }: { from: string; to: string; thisMonth: string }) {
  return (
    <Form method="get" className="inline-form finops-period">
      <label>
        From <input type="date" name="from" defaultValue={from} required />
      </label>
      <label>
        Until (not included) <input type="date" name="to" defaultValue={to} required />
      </label>
      <button type="submit" className="secondary">
        Show
      </button>
      <Link to={thisMonth}>This month</Link>
    </Form>
  );
}
