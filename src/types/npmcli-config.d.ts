declare module '@npmcli/config' {
  export default class Config {
    constructor(opts: Record<string, unknown>);
    load(): Promise<void>;
    get(key: string): unknown;
    readonly flat: Record<string, unknown>;
  }
}
declare module '@npmcli/config/lib/definitions/index.js' {
  const defs: {
    definitions: Record<string, unknown>;
    shorthands: Record<string, unknown>;
    flatten: (obj: unknown, flat?: unknown) => unknown;
  };
  export default defs;
}
