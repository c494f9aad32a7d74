import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { FIXTURES, ROOT } from './helpers.js';

const MCP = join(ROOT, 'node_modules', '@modelcontextprotocol');
/** Entry points of the real servers installed as devDependencies, started with node. */
export const SERVERS = {
  memory: join(MCP, 'server-memory', 'dist', 'index.js'),
  everything: join(MCP, 'server-everything', 'dist', 'index.js'),
  filesystem: join(MCP, 'server-filesystem', 'dist', 'index.js'),
};
export const fixture = (name: string) => join(FIXTURES, 'servers', name);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const started: ChildProcess[] = [];
afterAll(() => {
  for (const c of started) c.kill('SIGKILL');
});

/** The everything server over HTTP (streamableHttp or sse) on a loopback port; resolves when it listens. */
export async function startEverythingHttp(
  mode: 'streamableHttp' | 'sse',
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVERS.everything, mode], {
    env: { PATH: process.env.PATH, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  started.push(child);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('everything server did not start')), 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      if (/listening|running/i.test(d.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`everything server exited ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/${mode === 'sse' ? 'sse' : 'mcp'}`, child };
}
