import { useLocation } from "@remix-run/react";
import { useEffect } from "react";

/**
 * A box that scrolls by itself (a wide table on a phone, a long test input) must be reachable by keyboard, or a
 * keyboard user cannot scroll it (WCAG 2.1.1; axe: scrollable-region-focusable). Rather than every page marking its
 * own boxes, this finds the boxes that actually scroll at the current width and lets them take focus.
 */
export function ScrollRegions() {
  const { pathname, search } = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new page (path or query) is the reason to look again
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(markScrollRegions, 150);
    };
    markScrollRegions();
    // Tests (and anyone curious) can tell that the page is interactive and its scroll boxes are marked.
    document.getElementById("main")?.setAttribute("data-hydrated", "");
    // Content that arrives just after the page (the editor, deferred data) gets a second look.
    const second = setTimeout(markScrollRegions, 800);
    window.addEventListener("resize", later);
    return () => {
      clearTimeout(timer);
      clearTimeout(second);
      window.removeEventListener("resize", later);
    };
  }, [pathname, search]);
  return null;
}

const SCROLLS = new Set(["auto", "scroll"]);

function markScrollRegions() {
  const main = document.getElementById("main");
  if (!main) return;
  for (const el of Array.from(main.querySelectorAll<HTMLElement>("*"))) {
    if (el.closest(".monaco-editor")) continue;
    const wide = el.scrollWidth > el.clientWidth + 1;
    const tall = el.scrollHeight > el.clientHeight + 1;
    if (!wide && !tall) continue;
    const style = getComputedStyle(el);
    const scrolls = (wide && SCROLLS.has(style.overflowX)) || (tall && SCROLLS.has(style.overflowY));
    if (scrolls && !el.hasAttribute("tabindex")) {
      el.tabIndex = 0;
      el.dataset.scrollRegion = "";
    }
  }
}
