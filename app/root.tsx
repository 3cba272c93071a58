import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { getUser } from "~/.server/auth";
import { useNonce } from "~/components/nonce";
import { RouteFocus } from "~/components/route-focus";
import { ScrollRegions } from "~/components/scroll-regions";
import { SiteNav } from "~/components/site-nav";
import layoutUrl from "~/styles/layout.css?url";
import stylesUrl from "~/styles.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesUrl },
  { rel: "stylesheet", href: layoutUrl },
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
        <a href="#main" className="skip-link">
          Skip to main content
        </a>
        <header className="topbar">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true">
              ◆
            </span>{" "}
            Tokenwise
          </Link>
          {user ? <SiteNav user={user} /> : null}
        </header>
        <main className="page" id="main" tabIndex={-1}>
          {children}
        </main>
        <ScrollRegions />
        <RouteFocus />
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
        <Link to="/">Back to your home page</Link>
      </section>
    );
  }
  return (
    <section className="error-page">
      <h1>Something went wrong</h1>
      <p>The error was logged. Your work is saved; try again in a moment.</p>
      <Link to="/">Back to your home page</Link>
    </section>
  );
}
