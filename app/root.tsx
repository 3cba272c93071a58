import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { getUser } from "~/.server/auth";
import { useNonce } from "~/components/nonce";
import stylesUrl from "~/styles.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesUrl },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  // The layout only needs to know who is signed in; each route authorises itself.
  const user = await getUser(request);
  return { user: user ? { name: user.name, roles: user.roles } : null };
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user;
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <header className="topbar">
          <Link to="/" className="brand">
            <span className="brand-mark">◆</span> Tokenwise
          </Link>
          {user ? (
            <nav className="topnav">
              <NavLink to="/learning">My learning</NavLink>
              <NavLink to="/courses">Courses</NavLink>
              <NavLink to="/leaderboard">Leaderboard</NavLink>
              {user.roles.includes("manager") || user.roles.includes("admin") ? (
                <>
                  <NavLink to="/manager/assignments">Assignments</NavLink>
                  <NavLink to="/manager">Teams</NavLink>
                  <NavLink to="/finops">FinOps</NavLink>
                </>
              ) : null}
              {user.roles.includes("instructor") || user.roles.includes("admin") ? (
                <NavLink to="/author">Authoring</NavLink>
              ) : null}
              {user.roles.includes("admin") ? <NavLink to="/admin">Admin</NavLink> : null}
              <span className="whoami" title={user.roles.join(", ")}>
                {user.name}
              </span>
              <Form method="post" action="/logout">
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
                  everywhere
                </button>
              </Form>
            </nav>
          ) : null}
        </header>
        <main className="page">{children}</main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const message =
      typeof error.data === "string" && error.data
        ? error.data
        : error.status === 404
          ? "We could not find that page."
          : error.statusText;
    return (
      <section className="error-page">
        <h1>{error.status === 403 ? "Not allowed" : error.status === 404 ? "Not found" : `Error ${error.status}`}</h1>
        <p>{message}</p>
        <Link to="/">Back to your courses</Link>
      </section>
    );
  }
  return (
    <section className="error-page">
      <h1>Something went wrong</h1>
      <p>The error was logged. Your work is saved; try again in a moment.</p>
      <Link to="/">Back to your courses</Link>
    </section>
  );
}
