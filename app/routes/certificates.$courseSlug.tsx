import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { certificate } from "~/.server/assignments/certificate";
import { requireUser } from "~/.server/auth";
import { db } from "~/.server/db";
import { parseParams } from "~/lib/params";
import learningCss from "~/styles/learning.css?url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Certificate${data && "course" in data ? `: ${data.course}` : ""} · Tokenwise` },
];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: learningCss }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { courseSlug } = parseParams(z.object({ courseSlug: z.string().min(1).max(100) }), params);
  const cert = certificate(db(), user.id, courseSlug);
  if (!cert.found) throw new Response("There is no course at this address.", { status: 404 });
  if (!cert.complete) {
    throw new Response(
      `No certificate for “${cert.title}” yet: ${cert.passed} of ${cert.required} exercises passed. Pass every one to get it.`,
      { status: 404 },
    );
  }
  return cert;
}

const day = (d: string | Date) =>
  new Date(d).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

export default function CertificatePage() {
  const cert = useLoaderData<typeof loader>();
  return (
    <>
      <p className="no-print crumbs">
        <Link to="/progress">My progress</Link> /
      </p>
      <article className="certificate" data-testid="certificate">
        <p className="certificate-brand">◆ Tokenwise</p>
        <p className="certificate-kicker">Certificate of completion</p>
        <h1 className="certificate-name">{cert.learner}</h1>
        <p>has completed the course</p>
        <h2 className="certificate-course">{cert.course}</h2>
        <p>
          on <strong>{day(cert.completedAt)}</strong>
          {cert.assigned
            ? new Date(cert.completedAt) <= new Date(cert.assigned.dueAt)
              ? `, on time (due ${day(cert.assigned.dueAt)})`
              : ` (due ${day(cert.assigned.dueAt)})`
            : ""}
          , passing every exercise:
        </p>
        <ul className="certificate-exercises">
          {cert.exercises.map((e) => (
            <li key={e.title}>
              {e.title} <span className="muted">best score {e.score} / 1000</span>
            </li>
          ))}
        </ul>
        <p className="certificate-id muted">Record {cert.statementId}</p>
      </article>
      <p className="no-print">
        <PrintButton />
      </p>
    </>
  );
}

function PrintButton() {
  return (
    <button type="button" className="button primary" onClick={() => window.print()}>
      Print or save as PDF
    </button>
  );
}
