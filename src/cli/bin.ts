#!/usr/bin/env node
// mcpform's entry: Node's own compile cache first (Node 22.1+; Node 20 just compiles every
// run), then the CLI, so the cache covers every module the command loads.
// Before all that: a signal at any moment ends mcpform with 128 + n, its exit hooks run.
import './signals.js';
import nodeModule from 'node:module';
import { compileCacheDir } from './compile-cache.js';
import { readWorld } from './world.js';

const enableCompileCache = (nodeModule as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
const dir = enableCompileCache && compileCacheDir(readWorld(), process.getuid?.());
if (dir) {
  try {
    enableCompileCache(dir);
  } catch {
    // no cache: only slower
  }
}

const { start } = await import('./main.js');
start(process.argv);
