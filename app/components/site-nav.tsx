import { Form, NavLink, useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";
import type { Role } from "#db/schema";

/**
 * The top navigation. On a narrow screen it folds behind a "Menu" button once the page is interactive; before
 * that (or without JavaScript) the links simply wrap, so nothing is ever out of reach or off-screen.
 */
export function SiteNav({ user }: { user: { name: string; roles: Role[] } }) {
  const [interactive, setInteractive] = useState(false);
  const [open, setOpen] = useState(false);
  const { pathname } = useLocation();
  useEffect(() => setInteractive(true), []);
  // Following a link closes the menu.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the effect runs because the path changed
  useEffect(() => setOpen(false), [pathname]);
  const has = (...roles: Role[]) => user.roles.some((r) => roles.includes(r));
  return (
    <div className={`nav-area${interactive ? " foldable" : ""}${open ? " open" : ""}`}>
      {interactive ? (
        <button
          type="button"
          className="menu-button"
          aria-expanded={open}
          aria-controls="site-nav"
          onClick={() => setOpen((o) => !o)}
        >
          Menu
        </button>
      ) : null}
      <nav className="topnav" id="site-nav" aria-label="Main">
        <NavLink to="/learning">My learning</NavLink>
        <NavLink to="/courses">Courses</NavLink>
        <NavLink to="/leaderboard">Leaderboard</NavLink>
        {has("manager", "admin") ? (
          <>
            <NavLink to="/manager/assignments">Assignments</NavLink>
            <NavLink to="/manager">Teams</NavLink>
            <NavLink to="/finops">FinOps</NavLink>
          </>
        ) : null}
        {has("instructor", "admin") ? <NavLink to="/author">Authoring</NavLink> : null}
        {has("admin") ? <NavLink to="/admin">Admin</NavLink> : null}
        <NavLink to="/profile" className="whoami" title={`Your profile (${user.roles.join(", ")})`}>
          {user.name}
        </NavLink>
        <Form method="post" action="/logout" className="logout-form">
          <button type="submit" className="link-button">
            Log out
          </button>
          <button
            type="submit"
            name="scope"
            value="everywhere"
            className="link-button"
            title="End your sessions on every device"
          >
            Log out everywhere
          </button>
        </Form>
      </nav>
    </div>
  );
}
