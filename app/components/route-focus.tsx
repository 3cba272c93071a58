import { useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";

/**
 * After a client-side move to another page, focus goes to the new page's <main>, as a full page load would start
 * at the top: a keyboard or screen-reader user is not left on a link that no longer exists (or back in the nav).
 * Staying on the same path (a form that revalidates, a filter in the query) keeps focus where it is.
 */
export function RouteFocus() {
  const { pathname } = useLocation();
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new path is the reason to move focus
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [pathname]);
  return null;
}
