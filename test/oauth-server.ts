import { createServer, type Server } from 'node:http';

/** How the loopback server publishes its OAuth metadata (the good one by default). */
export interface OAuthVariant {
  /** Point to the protected-resource metadata from WWW-Authenticate (else only the well-known URL). */
  header?: boolean;
  /** The protected-resource metadata answers 404. */
  noResourceMetadata?: boolean;
  /** `resource` in it (default: the server's own URL). */
  resource?: string;
  /** The authorization server's metadata answers 404. */
  noServerMetadata?: boolean;
  /** `issuer` in it (default: where it was found). */
  issuer?: string;
  /** code_challenge_methods_supported (null: absent). */
  pkce?: readonly string[] | null;
  registration?: boolean;
  clientIdMetadata?: boolean;
}

export interface OAuthServer {
  url: string;
  /** The access token that opens the MCP endpoint. */
  token: string;
  close(): Promise<void>;
}

/**
 * A real HTTP server on loopback: an MCP endpoint at /mcp (initialize era, JSON answers, one
 * `echo` tool) that answers 401 without `Bearer <token>`, its RFC 9728 protected-resource
 * metadata, and an authorization server at /as with RFC 8414 metadata, as `variant` says.
 */
export function startOAuthServer(variant: OAuthVariant = {}): Promise<OAuthServer> {
  const token = 'tok-oauth-test-7';
  let base = '';
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/.well-known/oauth-protected-resource/mcp') {
      if (variant.noResourceMetadata) return json(res, 404, { error: 'not found' });
      return json(res, 200, {
        resource: variant.resource ?? `${base}/mcp`,
        authorization_servers: [`${base}/as`],
        bearer_methods_supported: ['header'],
      });
    }
    if (path === '/.well-known/oauth-authorization-server/as') {
      if (variant.noServerMetadata) return json(res, 404, { error: 'not found' });
      return json(res, 200, {
        issuer: variant.issuer ?? `${base}/as`,
        authorization_endpoint: `${base}/as/authorize`,
        token_endpoint: `${base}/as/token`,
        response_types_supported: ['code'],
        ...(variant.pkce === null ? {} : { code_challenge_methods_supported: variant.pkce ?? ['S256'] }),
        ...(variant.registration === false ? {} : { registration_endpoint: `${base}/as/register` }),
        ...(variant.clientIdMetadata ? { client_id_metadata_document_supported: true } : {}),
      });
    }
    if (path !== '/mcp') return json(res, 404, { error: 'not found' });
    if (req.headers.authorization !== `Bearer ${token}`) {
      const challenge =
        variant.header === false
          ? 'Bearer'
          : `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp", scope="mcp"`;
      res.writeHead(401, { 'WWW-Authenticate': challenge, 'Content-Type': 'application/json' });
      return res.end('{"error":"invalid_token"}');
    }
    if (req.method !== 'POST') return void res.writeHead(405).end();
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const msg = JSON.parse(body) as { id?: number; method: string };
      if (msg.id === undefined) return void res.writeHead(202).end();
      const answer = (result: unknown) => json(res, 200, { jsonrpc: '2.0', id: msg.id, result });
      if (msg.method === 'initialize')
        return answer({
          protocolVersion: '2025-11-25',
          capabilities: { tools: {} },
          serverInfo: { name: 'oauth-fixture', version: '1.0.0' },
        });
      if (msg.method === 'tools/list')
        return answer({ tools: [{ name: 'echo', description: 'Echoes.', inputSchema: { type: 'object' } }] });
      json(res, 200, { jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      resolve({
        url: `${base}/mcp`,
        token,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    }),
  );
}
