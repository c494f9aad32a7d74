// A streamable-HTTP MCP server on loopback for the clients stage: one `echo` tool, stateless
// (a fresh server per POST), the SDK's own transport. Prints `listening URL` once it listens.
// node http-server.mjs [PORT]   (0 or none: any free port)
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

function mcpServer() {
  const server = new McpServer({ name: 'mcpform-clients-http', version: '1.0.0' });
  server.registerTool(
    'echo',
    { description: 'Echoes its message.', inputSchema: { message: z.string() } },
    ({ message }) => ({ content: [{ type: 'text', text: message }] }),
  );
  return server;
}

const http = createServer(async (req, res) => {
  if (req.method !== 'POST') return void res.writeHead(405, { Allow: 'POST' }).end();
  const server = mcpServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => void transport.close().then(() => server.close()));
  await server.connect(transport);
  await transport.handleRequest(req, res);
});
http.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(`listening http://127.0.0.1:${http.address().port}/mcp`);
});
