import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, sandbox, writeJson, until } from '../helpers.js';
import { fixture } from '../servers.js';

const server = (name: string) => `  ${name}:\n    command: node\n    args: ["${fixture('tiny-server.mjs')}"]\n`;

describe('mcpform watch', () => {
  it('applies at start, then applies a change made to mcp.yaml while it runs; a broken save is reported and not applied', async () => {
    const sb = sandbox({ 'mcp.yaml': `version: 1\nservers:\n${server('first')}` });
    writeJson(sb.claudeConfig, { mcpServers: {} });
    const child = spawn(process.execPath, [CLI, 'watch', '--debounce', '100'], {
      cwd: sb.path(''),
      env: sb.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const servers = () => Object.keys(JSON.parse(readFileSync(sb.claudeConfig, 'utf8')).mcpServers);
    try {
      await until('the first apply', () => out.includes('Done.') && servers().includes('first'));
      expect(out).toMatch(/Watching mcp\.yaml/);
      expect(out).toContain('restart it to load changes');

      sb.write('mcp.yaml', `version: 1\nservers:\n${server('first')}${server('second')}`);
      await until('the change to be applied', () => servers().includes('second'));
      expect(out).toContain('mcp.yaml changed');

      await until('that run to finish', () =>
        !out.slice(out.lastIndexOf('planning and applying')).includes('Done.') ? undefined : true,
      );
      const before = readFileSync(sb.claudeConfig);
      sb.write('mcp.yaml', `version: 1\nservers:\n  broken: { comand: x }\n`);
      // The error and the verdict come as separate writes: wait for both.
      await until(
        'the error and "Not applied"',
        () => out.includes("unknown key 'comand'") && out.includes('Not applied'),
      );
      expect(readFileSync(sb.claudeConfig).equals(before)).toBe(true);
      await new Promise((r) => setTimeout(r, 500));
      expect(out.slice(out.lastIndexOf("unknown key 'comand'"))).not.toContain('Done.');
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.on('exit', r));
    }
  });
});

describe('mcpform watch, imports and env file', () => {
  it('applies changes made to an imported file and to the env file', async () => {
    const sb = sandbox({
      'mcp.yaml': `version: 1\nimports: [./base.mcp.yaml]\nservers: {}\n`,
      'base.mcp.yaml': `version: 1\nservers:\n${server('first')}    env: { LEVEL: "\${LEVEL:-info}" }\n`,
    });
    writeJson(sb.claudeConfig, { mcpServers: {} });
    const child = spawn(process.execPath, [CLI, 'watch', '--debounce', '100'], {
      cwd: sb.path(''),
      env: sb.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const entries = () => JSON.parse(readFileSync(sb.claudeConfig, 'utf8')).mcpServers;
    try {
      await until('the first apply', () => entries().first?.env?.LEVEL === 'info');
      expect(out).toMatch(/Watching .*base\.mcp\.yaml/);
      sb.write(
        'base.mcp.yaml',
        `version: 1\nservers:\n${server('first')}    env: { LEVEL: "\${LEVEL:-info}" }\n${server('second')}`,
      );
      await until('the imported change', () => entries().second);
      sb.write('.env', 'LEVEL=debug\n');
      await until('the env file change', () => entries().first?.env?.LEVEL === 'debug');
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.on('exit', r));
    }
  });
});

describe('mcpform watch, Ctrl-C during an apply', () => {
  it('restores the client file, exits 130 and leaves no server process behind', async () => {
    const pidFile = join(tmpdir(), `mcpform-watch-pid-${process.pid}-${Date.now()}`);
    // A server that never answers: the apply is still checking it when Ctrl-C comes.
    const sb = sandbox({
      'mcp.yaml': `version: 1\nservers:\n  stuck:\n    command: /bin/sh\n    args: ["-c", "echo $$ > ${pidFile}; exec sleep 120"]\n    test: { timeout: 90s }\n`,
    });
    writeJson(sb.claudeConfig, { mcpServers: { mine: { command: 'x' } } });
    const before = readFileSync(sb.claudeConfig);
    const child = spawn(process.execPath, [CLI, 'watch', '--debounce', '100'], {
      cwd: sb.path(''),
      env: sb.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const pid = await until('the server to start', () => {
        try {
          return Number(readFileSync(pidFile, 'utf8')) || undefined;
        } catch {
          return undefined;
        }
      });
      expect(readFileSync(sb.claudeConfig).equals(before)).toBe(false); // written, being checked
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(out).toContain('rolled back');
      expect(out.trimEnd()).toMatch(/Stopped watching \(signal, exit 130\)\.$/);
      expect(readFileSync(sb.claudeConfig).equals(before)).toBe(true);
      await until('the server process to be gone', () => {
        try {
          process.kill(pid, 0);
          return undefined;
        } catch {
          return true;
        }
      });
    } finally {
      child.kill('SIGKILL');
      rmSync(pidFile, { force: true });
    }
  });
});
