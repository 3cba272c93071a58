import { Link, NavLink } from "@remix-run/react";

/**
 * The tabs of one exercise's authoring pages. Calibration and analytics are their own pages
 * (built separately); they are linked here so an author finds them from the editor.
 */
export function ExerciseAuthoringNav({ slug }: { slug: string }) {
  return (
    <nav className="authoring-tabs" aria-label="Exercise authoring">
      <NavLink to={`/author/exercises/${slug}/edit`}>Edit</NavLink>
      <NavLink to={`/author/exercises/${slug}/calibrate`}>Calibrate</NavLink>
      <NavLink to={`/author/exercises/${slug}/versions`}>Versions</NavLink>
      <NavLink to={`/author/exercises/${slug}/analytics`}>Analytics</NavLink>
      <Link to={`/author/exercises/${slug}/export`} reloadDocument>
        Download YAML
      </Link>
    </nav>
  );
}

export function StatusBadge({ status }: { status: "draft" | "published" | "archived" }) {
  return <span className={`badge status-${status}`}>{status}</span>;
}
