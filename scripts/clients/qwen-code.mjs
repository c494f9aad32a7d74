// Qwen Code has `qwen mcp add/list` (a Gemini CLI fork, ~/.qwen/settings.json), but mcpform has
// no qwen-code target yet: there is nothing of mcpform's for it to read.
export default {
  target: 'qwen-code',
  package: '@qwen-code/qwen-code',
  unsupported: 'mcpform has no qwen-code target yet (qwen mcp add/list exist)',
};
