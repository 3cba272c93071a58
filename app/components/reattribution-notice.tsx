import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";

/** The loader's reattributionStatus (app/.server/usage/reattribution.ts), as JSON. */
export interface ReattributionView {
  daysLeft: number;
  days: number;
  since: string | null;
}

const REFRESH_MS = 5_000;

const time = (iso: string) =>
  new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const plural = (n: number) => `${n.toLocaleString("en-US")} day${n === 1 ? "" : "s"}`;

/**
 * Says that attributed figures are being updated while history is attributed again in the background (after a rule
 * or organisation change, or an import), so no figure is taken as final; the page reloads its data every few seconds
 * until it is done, and the notice goes. `detail` (the rules page) adds the progress.
 */
export function ReattributionNotice({
  status,
  detail = false,
}: {
  status: ReattributionView | null;
  detail?: boolean;
}) {
  const revalidator = useRevalidator();
  const pending = status !== null;
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [pending, revalidator]);
  if (!status) return null;
  const why = status.since
    ? "usage is being attributed again under the rules and teams as they are now"
    : "newly imported usage is being attributed";
  return (
    <p className="banner" role="status" data-testid="reattribution-notice">
      {detail ? (
        <>
          Attribution in progress: {plural(status.daysLeft)} of {plural(status.days)} left
          {status.since ? `, started ${time(status.since)} UTC` : ""}. Until it finishes the showback's figures mix the
          old attribution and the new.
        </>
      ) : (
        <>
          These figures are being updated: {why} ({plural(status.daysLeft)} left). Some may still follow the earlier
          attribution; this notice goes when they are final.
        </>
      )}
    </p>
  );
}
