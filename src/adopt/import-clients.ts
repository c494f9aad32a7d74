import { Document, isMap, isSeq, parse, YAMLMap, YAMLSeq } from 'yaml';
import { sameJson as deepEqual } from '../util/equal.js';
import type { ClientEntry, TargetAdapter } from '../targets/types.js';
import { importEntries, LOCAL_SCHEMA } from './import.js';

/** One client file to import: its adapter and its entries as read (the client's spelling). */
export interface ImportSource {
  readonly adapter: TargetAdapter;
  readonly path: string;
  readonly entries: Readonly<Record<string, ClientEntry>>;
  /** Where the servers are in the file (ownership records are per server map). */
  readonly serversPath?: readonly (string | number)[];
}

export interface ClientsImport {
  /** The new mcp.yaml. */
  yaml: string;
  /** Secret values for .env, NAME -> value. */
  secrets: Record<string, string>;
  /** Each server of the new mcp.yaml and the clients it goes to (none: a conflicting variant kept aside). */
  servers: { name: string; clients: string[] }[];
  /** One name, different definitions: which clients hold which variant, under which mcp.yaml name. */
  conflicts: { server: string; variants: { name: string; clients: string[] }[] }[];
  skipped: { client: string; name: string; why: string }[];
  notes: { client: string; name: string; note: string }[];
}

const REF = /^(Bearer )?\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/**
 * Several clients' files as one mcp.yaml, through each adapter's `toCanonical` and the one
 * import engine (`importEntries`, which moves secrets to .env). The same name with the same
 * definition in several clients is one server for all of them; the same name defined
 * differently keeps the first definition under its name, and each other one under
 * `NAME-CLIENT`, applied to no client yet: the client's file still calls it NAME, and an
 * mcp.yaml server is written under its own name, so applying it there would add a second
 * copy beside the first. Each target lists its servers (`targets.X.servers`) when it does
 * not take them all, so `plan` says "No changes." for every client imported. Pure.
 */
export function importClients(
  sources: readonly ImportSource[],
  existingEnv: Readonly<Record<string, string>>,
  baseDir: string,
  platform: NodeJS.Platform,
  schema: string = LOCAL_SCHEMA,
): ClientsImport {
  const taken: Record<string, string> = { ...existingEnv };
  const secrets: Record<string, string> = {};
  const skipped: ClientsImport['skipped'] = [];
  const notes: ClientsImport['notes'] = [];
  /** Per name in the client files: its variants, in the order met. */
  const variants = new Map<string, { name: string; def: Record<string, unknown>; clients: string[] }[]>();
  const order: string[] = [];

  for (const src of sources) {
    const client = src.adapter.name;
    const canonical: Record<string, ClientEntry> = {};
    const refs: Record<string, Record<string, string>> = {};
    for (const [name, raw] of Object.entries(src.entries)) {
      const { entry, headers } = splitReferences(raw, src.adapter.toCanonical(raw));
      Object.defineProperty(canonical, name, { value: entry, enumerable: true, writable: true, configurable: true });
      if (Object.keys(headers).length) refs[name] = headers;
    }
    const result = importEntries(canonical, taken, { adapter: canonicalView(src.adapter), baseDir, platform });
    Object.assign(taken, result.secrets);
    Object.assign(secrets, result.secrets);
    for (const s of result.skipped) skipped.push({ client, ...s });
    for (const n of result.notes) notes.push({ client, ...n });
    const defs = ((parse(result.yaml) as { servers?: Record<string, Record<string, unknown>> } | null)?.servers ??
      {}) as Record<string, Record<string, unknown>>;
    for (const [name, def] of Object.entries(defs)) {
      // A header the client reads from a variable by name stays that variable: ${NAME}.
      if (refs[name] && typeof def.url === 'string') def.headers = { ...(def.headers as object), ...refs[name] };
      const list = variants.get(name) ?? [];
      if (!variants.has(name)) {
        variants.set(name, list);
        order.push(name);
      }
      const same = list.find((v) => deepEqual(v.def, def));
      if (same) same.clients.push(client);
      else
        list.push({
          name: list.length === 0 ? name : uniqueName(`${name}-${client}`, variants),
          def,
          clients: [client],
        });
    }
  }

  const servers: ClientsImport['servers'] = [];
  const conflicts: ClientsImport['conflicts'] = [];
  const defs = new Map<string, Record<string, unknown>>();
  for (const name of order) {
    const list = variants.get(name)!;
    list.forEach((v, i) => {
      defs.set(v.name, v.def);
      servers.push({ name: v.name, clients: i === 0 ? v.clients : [] });
    });
    if (list.length > 1)
      conflicts.push({ server: name, variants: list.map((v) => ({ name: v.name, clients: v.clients })) });
  }
  const yaml = render(
    sources.map((s) => s.adapter.name),
    servers,
    defs,
    conflicts,
    schema,
  );
  return { yaml, secrets, servers, conflicts, skipped, notes };
}

/**
 * Headers that are a variable reference only in the common vocabulary (Codex's
 * `env_http_headers` names read back as `${NAME}`) leave the entry before the import engine
 * sees them: they are no literal text to keep, and no secret to move.
 */
function splitReferences(
  raw: ClientEntry,
  entry: ClientEntry,
): { entry: ClientEntry; headers: Record<string, string> } {
  const h = entry.headers;
  if (!h || typeof h !== 'object') return { entry, headers: {} };
  const text = JSON.stringify(raw);
  const headers: Record<string, string> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(h as Record<string, unknown>)) {
    if (typeof v === 'string' && REF.test(v) && !text.includes(JSON.stringify(v).slice(1, -1))) headers[k] = v;
    else rest[k] = v;
  }
  if (!Object.keys(headers).length) return { entry, headers };
  const { headers: _h, ...others } = entry;
  return { entry: Object.keys(rest).length ? { ...others, headers: rest } : others, headers };
}

/**
 * The adapter as the import engine needs it: it renders a candidate and compares it with the
 * entry, and the entries it gets are in the common vocabulary, so the rendering is too.
 */
function canonicalView(adapter: TargetAdapter): TargetAdapter {
  return {
    ...adapter,
    managedFields: ['type', 'command', 'args', 'env', 'cwd', 'url', 'headers'],
    render: (server, pins, spec, platform) => {
      const r = adapter.render(server, pins, spec, platform);
      return { entry: adapter.toCanonical(r.entry), sensitive: r.sensitive };
    },
  };
}

function uniqueName(base: string, taken: Map<string, { name: string }[]>): string {
  const used = new Set([...taken.keys(), ...[...taken.values()].flat().map((v) => v.name)]);
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
  return name;
}

function render(
  clients: string[],
  servers: ClientsImport['servers'],
  defs: Map<string, Record<string, unknown>>,
  conflicts: ClientsImport['conflicts'],
  schema: string,
): string {
  const doc = new Document({}) as Document.Parsed;
  doc.commentBefore = ` yaml-language-server: $schema=${schema}\n Imported from ${clients.join(', ')} by \`mcpform init --import\`.\n Secret values were moved to .env (git-ignored) and are referenced as \${VAR}.`;
  doc.set('version', 1);
  const all = servers.map((s) => s.name);
  const lists = clients.map((c) => ({ c, own: servers.filter((s) => s.clients.includes(c)).map((s) => s.name) }));
  if (lists.every((l) => l.own.length === all.length)) {
    const seq = doc.createNode(clients) as YAMLSeq;
    seq.flow = true;
    doc.set('targets', seq);
  } else {
    const targets = new YAMLMap();
    for (const { c, own } of lists) {
      const spec = own.length === all.length ? doc.createNode({}) : doc.createNode({ servers: own });
      const seq = isMap(spec) ? spec.get('servers', true) : undefined;
      if (isSeq(seq)) seq.flow = true;
      const aside = conflicts.flatMap((x) => x.variants.filter((v) => v.clients.includes(c) && !own.includes(v.name)));
      if (aside.length && isMap(spec))
        spec.comment = ` not applied here yet: ${aside.map((v) => `${v.name} (this client's '${conflicts.find((x) => x.variants.includes(v))!.server}')`).join(', ')}; rename the entry in the client's file to that name and add it to servers`;
      targets.set(c, spec);
    }
    doc.set('targets', targets);
  }
  const map = new YAMLMap();
  for (const name of all) map.set(name, doc.createNode(defs.get(name)));
  doc.set('servers', map);
  for (const pair of map.items) {
    if (!isMap(pair.value)) continue;
    const args = pair.value.get('args', true);
    if (isSeq(args)) args.flow = true;
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
