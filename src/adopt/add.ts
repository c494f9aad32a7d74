import { isMap, isSeq, parseDocument, YAMLSeq, type Document } from 'yaml';
import { McpformError } from '../errors.js';
import { nameProblem } from '../config/names.js';

export interface NewServer {
  name: string;
  definition: Record<string, unknown>;
}

/**
 * mcp.yaml with one more server, edited through the yaml Document API so that comments,
 * key order and formatting stay as the user wrote them. Also lists the server in
 * `environment` when the file has environments. Pure: text in, text out.
 */
export function addServer(
  text: string,
  server: NewServer,
  opts: { environment?: string; force?: boolean } = {},
): { text: string; environment?: string; note?: string } {
  const why = nameProblem(server.name);
  if (why) throw new McpformError('USAGE', `server ${why}`);
  const doc = parseDocument(text) as Document.Parsed;
  if (doc.errors.length)
    throw new McpformError(
      'INVALID_CONFIG',
      `mcp.yaml does not parse (${doc.errors[0]!.message.split('\n')[0]}); fix it first ('mcpform validate')`,
    );
  if (doc.hasIn(['servers', server.name]) && !opts.force) {
    throw new McpformError('USAGE', `server '${server.name}' already exists in mcp.yaml`, {
      hint: 'choose another name with --name, or replace it with --force',
    });
  }
  const node = doc.createNode(server.definition);
  if (isMap(node)) {
    const args = node.get('args', true);
    if (isSeq(args)) args.flow = true;
  }
  if (!isMap(doc.get('servers'))) doc.set('servers', doc.createNode({}));
  doc.setIn(['servers', server.name], node);

  const envs = doc.get('environments');
  const envName = opts.environment ?? (doc.get('defaultEnvironment') as string | undefined);
  let note: string | undefined;
  let environment: string | undefined;
  if (isMap(envs)) {
    if (envName && isMap(envs.get(envName))) {
      const list = doc.getIn(['environments', envName, 'servers']);
      if (isSeq(list)) {
        if (!list.items.some((i) => String((i as { value?: unknown }).value ?? i) === server.name))
          list.add(doc.createNode(server.name));
      } else {
        const seq = new YAMLSeq();
        seq.flow = true;
        seq.add(doc.createNode(server.name));
        doc.setIn(['environments', envName, 'servers'], seq);
      }
      environment = envName;
    } else {
      note = `it is in no environment yet: add it to environments.<name>.servers (or pass -e NAME)`;
    }
  }
  return { text: doc.toString({ lineWidth: 0 }), environment, note };
}
