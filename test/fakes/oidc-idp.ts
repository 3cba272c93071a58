import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
// oidc-provider ships no types; only its constructor and a few configuration hooks are used here.
// @ts-expect-error no declaration file
import Provider from "oidc-provider";

/**
 * A real OpenID Connect provider (panva's oidc-provider, the certified OP implementation) on a loopback port, for the
 * company sign-in tests: discovery, the authorization endpoint with its own login form (dev interactions: any login,
 * any password; the login names the account), the token endpoint with PKCE, signed ID tokens, userinfo.
 */

export interface IdpAccount {
  /** Claims returned for this login (sub is the login itself). */
  claims: Record<string, unknown>;
}

export interface FakeIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by login; add or change them between tests. */
  accounts: Map<string, IdpAccount>;
  close: () => Promise<void>;
}

export async function startIdp(opts: {
  redirectUris: string[];
  clientId?: string;
  clientSecret?: string;
  /** Listen here (a restart on the same address); default: a free port. */
  port?: number;
}): Promise<FakeIdp> {
  const clientId = opts.clientId ?? "tokenwise";
  const clientSecret = opts.clientSecret ?? "idp-client-secret-for-tests-only";
  const accounts = new Map<string, IdpAccount>();
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    cookies: { keys: ["fake-idp-cookie-key-for-tests"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "team", "department", "upn"] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    pkce: { required: () => true },
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, ...(accounts.get(sub)?.claims ?? {}) }),
    }),
    // A first-party client: no consent screen after the login form.
    loadExistingGrant: async (ctx: {
      oidc: {
        client: { clientId: string };
        session: { accountId: string; grantIdFor: (id: string) => string | undefined };
        result?: { consent?: { grantId?: string } };
        provider: { Grant: { new (o: object): GrantLike; find: (id: string) => Promise<GrantLike> } };
      };
    }) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  });
  server.on("request", provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface GrantLike {
  addOIDCScope: (scope: string) => void;
  save: () => Promise<string>;
}
