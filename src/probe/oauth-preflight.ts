import type { Fetch } from './http-fetch.js';
import { describeFetchError } from './http.js';

/** What the spec's discovery found: a server ready for the client's sign-in, or what is wrong. */
export interface OAuthPreflight {
  /** false: no sign of OAuth (no `resource_metadata` in the challenge, no metadata at the well-known URL). */
  readonly oauth: boolean;
  readonly ok: boolean;
  /** ok: the metadata chain in a line; not ok: the precise misconfiguration. */
  readonly detail: string;
  /** A weakness a client may work around (no registration method: a pre-registered client ID). */
  readonly warning?: string;
}

/**
 * The MCP authorization spec's discovery, as a client runs it before the browser opens, for
 * a server that answered 401 without credentials: protected-resource metadata (RFC 9728)
 * from the WWW-Authenticate header's `resource_metadata` or the well-known URL, its
 * `resource` matching the server, an authorization server whose metadata (RFC 8414 or OIDC
 * discovery) has the issuer it was found by, PKCE S256 offered, and a way for the client
 * to register (a client-ID metadata document or dynamic registration). The SDK's own
 * discovery helpers do the fetching, on the check's fetch (its sockets, its deadline).
 */
export async function preflightOAuth(
  url: string,
  challenge: string | undefined,
  fetch: Fetch,
): Promise<OAuthPreflight> {
  const auth = await import('@modelcontextprotocol/sdk/client/auth.js');
  const { checkResourceAllowed, resourceUrlFromServerUrl } =
    await import('@modelcontextprotocol/sdk/shared/auth-utils.js');
  const fail = (detail: string): OAuthPreflight => ({ oauth: true, ok: false, detail });
  const { resourceMetadataUrl } = auth.extractWWWAuthenticateParams(
    new Response(null, { headers: challenge ? { 'WWW-Authenticate': challenge } : {} }),
  );
  const where = resourceMetadataUrl
    ? `${resourceMetadataUrl.href} (named by WWW-Authenticate)`
    : 'the well-known oauth-protected-resource URL';
  let resource: Awaited<ReturnType<typeof auth.discoverOAuthProtectedResourceMetadata>>;
  try {
    resource = await auth.discoverOAuthProtectedResourceMetadata(url, { resourceMetadataUrl }, fetch);
  } catch (err) {
    // Without the header's pointer, a server with no metadata is simply not an OAuth one.
    if (!resourceMetadataUrl) return { oauth: false, ok: false, detail: reason(err) };
    return fail(`no usable protected-resource metadata at ${where}: ${reason(err)}`);
  }
  const expected = resourceUrlFromServerUrl(url);
  if (!checkResourceAllowed({ requestedResource: expected, configuredResource: resource.resource }))
    return fail(
      `the protected-resource metadata names resource ${resource.resource}, which does not cover the server's URL ${expected.href}; clients refuse it`,
    );
  const issuer = resource.authorization_servers?.[0];
  if (!issuer) return fail('the protected-resource metadata lists no authorization_servers');
  let meta: Awaited<ReturnType<typeof auth.discoverAuthorizationServerMetadata>>;
  try {
    meta = await auth.discoverAuthorizationServerMetadata(issuer, { fetchFn: fetch });
  } catch (err) {
    return fail(`the authorization server ${issuer} has invalid metadata: ${reason(err)}`);
  }
  if (!meta)
    return fail(
      `no authorization-server metadata for ${issuer} (neither RFC 8414 oauth-authorization-server nor OpenID discovery answered)`,
    );
  if (strip(meta.issuer) !== strip(issuer))
    return fail(`the authorization server's metadata says issuer ${meta.issuer}, not ${issuer} where it was found`);
  const pkce = meta.code_challenge_methods_supported;
  if (!pkce?.includes('S256'))
    return fail(
      `the authorization server ${issuer} ${pkce ? `offers PKCE ${pkce.join(', ') || '(none)'}, not S256` : 'does not list code_challenge_methods_supported'}; MCP clients refuse to sign in without S256`,
    );
  const registration = [
    meta.client_id_metadata_document_supported ? 'client-ID metadata document' : '',
    meta.registration_endpoint ? 'dynamic registration' : '',
  ].filter(Boolean);
  const detail = `authorization server ${issuer}: issuer matches, PKCE S256${registration.length ? `, registration by ${registration.join(' or ')}` : ''}`;
  return registration.length
    ? { oauth: true, ok: true, detail }
    : {
        oauth: true,
        ok: true,
        detail,
        warning: `${issuer} offers neither a client-ID metadata document nor dynamic registration: only a client with a pre-registered client ID can sign in`,
      };
}

function strip(u: string): string {
  return u.replace(/\/+$/, '');
}

function reason(err: unknown): string {
  const e = err as { name?: string; issues?: { path: (string | number)[]; message: string }[] };
  // A zod error (metadata of the wrong shape): its first problem, with where.
  if (e?.issues?.length) return `${e.issues[0]!.path.join('.') || '(document)'}: ${e.issues[0]!.message}`;
  return describeFetchError(err);
}
