// Continue's CLI `cn` has no MCP subcommand (its commands: ls, checks, review): it loads MCP
// servers only inside a model session, and reads config.yaml, not the block file
// (~/.continue/mcpServers/mcpform.yaml) the continue target writes. Nothing to ask it here.
export default {
  target: 'continue',
  package: '@continuedev/cli',
  unsupported: 'cn has no mcp list/add; it starts MCP servers only in a model session',
};
