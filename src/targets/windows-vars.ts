/**
 * `%NAME%`, Windows' own variable syntax: text anywhere but on Windows, and on Windows expanded
 * only by what the value passes through on its way to the server:
 * - cmd: `cmd /c ...` (what mcpform writes for a `plain` client, or a hand-made entry) expands
 *   it in its command line, from the environment the client gives the server;
 * - a client that expands it itself, in the fields it declares (`percentVariables`: Gemini CLI,
 *   env values, CLIENTS.md).
 * Elsewhere the server receives the literal text (Claude Desktop passes env and args as they are).
 */

/** cmd's names are nearly free-form; these are the ones people write (`%ProgramFiles(x86)%`). */
const REFERENCE = /%([A-Za-z_][A-Za-z0-9_()]*)%/g;

/** The names of the `%NAME%` references in a value, in order. */
export function percentVariables(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((m) => m[1]!);
}

/**
 * The value with each `%NAME%` replaced from `env` (Windows names: any case), as the client
 * that declares `percentVariables` does: an unset variable becomes empty.
 */
export function expandPercent(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(REFERENCE, (_m, name: string) => {
    const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
    return (key === undefined ? undefined : env[key]) ?? '';
  });
}

/** Whether `command` is cmd itself, which expands `%NAME%` in the command line it runs. */
export function isCmd(command: unknown): boolean {
  return typeof command === 'string' && /(^|[\\/])cmd(\.exe)?$/i.test(command);
}
