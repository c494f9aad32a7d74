// The CLI's own name for it; the core imports src/version.ts (no import from cli/ in the core).
export { VERSION } from '../version.js';
