// GitHub Copilot CLI has `copilot mcp add/list/get` (~/.copilot/mcp-config.json), but mcpform
// has no copilot target yet: there is nothing of mcpform's for it to read.
export default {
  target: 'copilot',
  package: '@github/copilot',
  unsupported: 'mcpform has no copilot target yet (copilot mcp add/list/get exist)',
};
