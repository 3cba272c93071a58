import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/.server/auth";
import { fieldReference } from "~/.server/authoring/field-reference";
import { Markdown } from "~/components/markdown";
import authorCss from "~/styles/author.css?url";

export const meta: MetaFunction = () => [{ title: "Exercise field reference · Authoring · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: authorCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "instructor", "admin");
  return { markdown: fieldReference() };
}

export default function FieldReference() {
  const { markdown } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="crumbs">
        <Link to="/author">Authoring</Link> /
      </p>
      <h1>Exercise field reference</h1>
      <p className="muted">
        The format of an exercise, as written in the editor or in the repository's exercises/ files.
      </p>
      <div className="field-reference" data-testid="field-reference">
        <Markdown source={markdown} />
      </div>
    </>
  );
}
