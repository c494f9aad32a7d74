declare const __MCPFORM_VERSION__: string | undefined;

/** package.json's version, inlined at build time (scripts/build.mjs, vitest.config.ts). */
export const VERSION: string = typeof __MCPFORM_VERSION__ === 'string' ? __MCPFORM_VERSION__ : '0.0.0-dev';
