import type { ClientRequest } from 'node:http';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

export type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * A fetch for one health check, on node:http with agents of its own. Node's global fetch
 * keeps an aborted request's socket open for seconds and pools idle ones for the whole
 * process, with no way to close them short of a dependency (undici's Agent); a check must
 * leave no socket behind, so here every socket belongs to the check and `close()` destroys
 * them all at once. It is a fetch for the SDK's transports and our own requests: no
 * redirects are followed (the SDK's fetchWithinOrigin does that), no content decoding
 * (no Accept-Encoding is sent).
 */
export function checkFetch(signal: AbortSignal): { fetch: Fetch; close(): void } {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const requests = new Set<ClientRequest>();
  let closed = false;
  const fetch: Fetch = (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      if (closed || signal.aborted) return reject(abortError());
      const url = new URL(String(input instanceof Request ? input.url : input));
      const https = url.protocol === 'https:';
      if (!https && url.protocol !== 'http:') return reject(new TypeError(`unsupported URL scheme ${url.protocol}`));
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((v, k) => (headers[k] = v));
      const body = typeof init.body === 'string' || init.body instanceof Uint8Array ? init.body : undefined;
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const signals = init.signal ? anySignal(init.signal, signal) : signal;
      const req = (https ? httpsRequest : httpRequest)(url, {
        method: init.method ?? 'GET',
        headers,
        agent: https ? agents.https : agents.http,
        signal: signals,
      });
      requests.add(req);
      req.once('close', () => requests.delete(req));
      req.once('error', (err) =>
        reject(signals.aborted ? abortError() : new TypeError('fetch failed', { cause: err })),
      );
      req.once('response', (res) => {
        const status = res.statusCode ?? 0;
        const empty = init.method === 'HEAD' || [204, 205, 304].includes(status);
        const out = new Headers();
        try {
          for (const [k, v] of Object.entries(res.headers))
            for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) out.append(k, one);
          if (empty) res.resume();
          resolve(
            new Response(empty ? null : (Readable.toWeb(res) as ReadableStream), {
              status,
              statusText: res.statusMessage,
              headers: out,
            }),
          );
        } catch (err) {
          res.destroy();
          reject(new TypeError('fetch failed', { cause: err }));
        }
      });
      req.end(body);
    });
  return {
    fetch,
    close() {
      closed = true;
      for (const req of requests) req.destroy();
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function abortError(): Error {
  return new DOMException('This operation was aborted', 'AbortError');
}

/** AbortSignal.any, which Node has only from 20.3 on. */
function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([a, b]);
  const both = new AbortController();
  for (const s of [a, b])
    if (s.aborted) both.abort(s.reason);
    else s.addEventListener('abort', () => both.abort(s.reason), { once: true });
  return both.signal;
}
