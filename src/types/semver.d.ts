// semver ships no types; only the three functions mcp.lock verification uses.
declare module 'semver/functions/valid.js' {
  export default function valid(version: string): string | null;
}
declare module 'semver/functions/satisfies.js' {
  export default function satisfies(version: string, range: string): boolean;
}
declare module 'semver/ranges/valid.js' {
  export default function validRange(range: string): string | null;
}
