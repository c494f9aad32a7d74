/**
 * Client config entries in the shapes people really write, collected from public dotfiles
 * and setup guides (Claude Desktop, Cursor, Claude Code) and rewritten with made-up values:
 * every kind of command, path, remote bridge, secret placement and odd value seen there.
 * Each is one shape the import round-trip must keep byte for byte.
 */
export type Client = 'claude-desktop' | 'cursor' | 'claude-code';

export const SHAPES: Record<Client, Record<string, Record<string, unknown>>> = {
  'claude-desktop': {
    filesystem: {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '/Users/me/Desktop', '/Users/me/Downloads'],
    },
    github: {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-github'],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8' },
    },
    'remote-canonical': { command: 'npx', args: ['-y', 'mcp-remote', 'https://mcp.example.com/sse'] },
    'remote-no-y': { command: 'npx', args: ['mcp-remote', 'https://observability.example.com/sse'] },
    'remote-auth-env': {
      command: 'npx',
      args: ['-y', 'mcp-remote', 'https://hf.example.co/mcp', '--header', 'Authorization:${AUTH_HEADER}'],
      env: { AUTH_HEADER: 'Bearer hf_fake0token0value0abcdefghijklmnop' },
    },
    'remote-inline-header': {
      command: 'npx',
      args: ['mcp-remote', 'https://api.example.net/mcp', '--header', 'x-api-key:k3y-1234-inline'],
    },
    'remote-allow-http': { command: 'npx', args: ['mcp-remote', 'http://10.0.0.5:8001/mcp/', '--allow-http'] },
    'remote-mcpform-style': {
      command: 'npx',
      args: [
        '-y',
        'mcp-remote',
        'https://docs.example.com/mcp',
        '--transport',
        'http-only',
        '--header',
        'Authorization:${MCP_HEADER_AUTHORIZATION}',
      ],
      env: { MCP_HEADER_AUTHORIZATION: 'Bearer docs-secret-token-000' },
    },
    'remote-query-key': {
      command: 'npx',
      args: ['-y', 'mcp-remote', 'https://mcp.example.org/sse?api_key=qk-secret-99'],
    },
    'windows-node': {
      command: 'C:\\Program Files\\nodejs\\node.exe',
      args: [
        'C:\\Users\\Me\\AppData\\Roaming\\npm\\node_modules\\@modelcontextprotocol\\server-filesystem\\dist\\index.js',
        'E:\\notes',
      ],
    },
    'windows-venv': {
      command: 'C:\\Users\\me\\Documents\\ppt\\.venv\\Scripts\\python.exe',
      args: ['-m', 'mcp_pptx_server'],
      cwd: 'C:\\Users\\me\\Documents\\ppt',
    },
    'windows-cmd': { command: 'cmd', args: ['/c', 'npx', '-y', '@modelcontextprotocol/server-memory'] },
    'windows-npx-cmd': { command: 'npx.cmd', args: ['-y', 'some-mcp-server'] },
    'windows-bat': { command: 'C:\\Users\\You\\azure-devops-mcp\\run_docker_stdio.bat' },
    'relative-cwd': { command: 'python', args: ['mcp_server.py', '--port', '8080'], cwd: './mcp_tools/python' },
    'bare-cwd': { command: 'node', args: ['--experimental-strip-types', 'src/adapters/mcp.ts'], cwd: 'CairoBot' },
    'tilde-cwd': { command: 'uv', args: ['run', 'server.py'], cwd: '~/code/weather' },
    'relative-command': { command: './build/server', args: ['--stdio'] },
    uvx: { command: 'uvx', args: ['--from', 'git+https://github.com/example/mcp-thing', 'mcp-thing'] },
    'uv-directory': { command: 'uv', args: ['--directory', '/Users/me/code/weather', 'run', 'weather.py'] },
    'docker-env': {
      command: 'docker',
      args: ['run', '-i', '--rm', '-e', 'GITHUB_PERSONAL_ACCESS_TOKEN', 'ghcr.io/github/github-mcp-server'],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'github_pat_11AAAAAAA0fakefakefakefake_abcdefghijklmnopqrstuvwxyz0123' },
    },
    'docker-inline': {
      command: 'docker',
      args: ['run', '-i', '--rm', '-e', 'SLACK_BOT_TOKEN=xoxb-1234567890-abcdefghij', 'mcp/slack'],
    },
    'python-module': {
      command: '/Users/me/code/notes/.venv/bin/python',
      args: ['-m', 'notes_mcp'],
      env: { PYTHONPATH: '/Users/me/code/notes/src', PYTHONUNBUFFERED: '1' },
    },
    'env-number-bool': { command: 'node', args: ['/opt/srv/index.js'], env: { PORT: 3000, DEBUG: true } },
    'no-args': { command: '/usr/local/bin/my-mcp' },
    'empty-args-env': { command: '/usr/local/bin/other-mcp', args: [], env: {} },
    'extra-fields': { command: 'npx', args: ['-y', 'mcp-server-time'], disabled: true, autoApprove: [] },
    'literal-home': {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '${HOME}/projects', '${USERPROFILE}\\Documents'],
      env: { NOTES_DIR: '${HOME}/notes', CACHE: '$HOME/.cache' },
    },
    'unexpanded-token': {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-github'],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_TOKEN}' },
    },
    postgres: {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-postgres', 'postgresql://app:s3cr3t-pw@localhost:5432/app'],
    },
    supabase: {
      command: 'npx',
      args: [
        '-y',
        '@supabase/mcp-server-supabase@latest',
        '--read-only',
        '--access-token',
        'sbp_0123456789abcdef0123456789abcdef01234567',
      ],
    },
    'flag-equals': { command: 'search-mcp', args: ['--api-key=sk-proj-abcdefghijklmnopqrstuvwx', '--region=eu'] },
    slack: {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-slack'],
      env: { SLACK_BOT_TOKEN: 'xoxb-0000000000-fakefakefake', SLACK_TEAM_ID: 'T01234567' },
    },
    'aws-positional': { command: 'aws-mcp', args: ['--profile', 'dev', 'AKIAIOSFODNN7EXAMPLE'] },
    'jwt-positional': {
      command: 'npx',
      args: [
        '-y',
        'supabase-mcp',
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiIsImlhdCI6MTcwMDAwMDAwMH0.c2lnbmF0dXJlX2Zha2VfdmFsdWVfMTIz',
      ],
    },
    gitlab: {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-gitlab'],
      env: {
        GITLAB_PERSONAL_ACCESS_TOKEN: 'glpat-abcdefghij1234567890',
        GITLAB_API_URL: 'https://gitlab.example.com/api/v4',
      },
    },
    'entropy-positional': { command: 'weather-mcp', args: ['serve', 'Zq8xT2mK9pL4vR7nB3wY6cF1hJ5dG0sA'] },
    'nvm-node': {
      command: '/Users/me/.nvm/versions/node/v20.20.2/bin/node',
      args: [
        '/Users/me/.nvm/versions/node/v20.20.2/lib/node_modules/@modelcontextprotocol/server-memory/dist/index.js',
      ],
      env: { MEMORY_FILE_PATH: '/Users/me/.mcp/memory.json' },
    },
    bunx: { command: 'bunx', args: ['-y', 'mcp-remote', 'https://mcp.notion.example.com/mcp'] },
    'Hugging Face': { command: 'npx', args: ['-y', 'hf-mcp', '--model', 'Qwen/Qwen2.5 "7B"', 'ünïcødé \\ path'] },
    'asdf-shim': {
      command: '/Users/me/.asdf/shims/npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '/Users/me'],
    },
    'wsl-docker-typed': {
      type: 'stdio',
      command: 'wsl',
      args: [
        'docker',
        'run',
        '-i',
        '--rm',
        '--pull=always',
        '-e',
        'SI_API_TOKEN=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmYWtlLXVzZXIifQ.ZmFrZV9zaWduYXR1cmVfMDAw',
        'systeminit/si-mcp-server:stable',
      ],
    },
    'wsl-bash-c': {
      command: 'wsl',
      args: [
        '-e',
        'bash',
        '-c',
        'cd /home/user/prj/crawl && source venv/bin/activate && PYTHONPATH=/home/user/prj/crawl:$PYTHONPATH python -m crawl4ai_mcp.server',
      ],
      env: { FASTMCP_LOG_LEVEL: 'ERROR' },
    },
    'wsl-distro': {
      command: 'wsl',
      args: ['-d', 'Ubuntu-24.04', '/home/me/FileScopeMCP/run.sh', '--base-dir=${projectRoot}'],
      transport: 'stdio',
      disabled: false,
      alwaysAllow: [],
    },
    'sh-c-secret-manager': {
      command: '/bin/sh',
      args: [
        '-c',
        'BEEPER_ACCESS_TOKEN=$(fnox get BEEPER_ACCESS_TOKEN --age-key-file ~/.age/key.txt) exec npx -y @beeper/desktop-mcp',
      ],
    },
    'wsl-supabase-placeholder': {
      command: 'wsl',
      args: ['npx', '-y', '@supabase/mcp-server-supabase@latest', '--read-only', '--project-ref=<project-ref>'],
      env: { SUPABASE_ACCESS_TOKEN: '<personal-access-token>' },
    },
    'windows-drive-roots': {
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', 'C:\\', 'D:\\', 'C:\\Users\\me\\OneDrive\\Desktop'],
    },
    'postgres-encoded-password': {
      command: 'npx',
      args: [
        '-y',
        '@modelcontextprotocol/server-postgres',
        'postgresql://postgres.abcdef:11%40Xp%21%21@pooler.example.com:5432/postgres',
      ],
    },
    'uvicorn-cwd-env': {
      command: 'python',
      args: ['-m', 'uvicorn', 'main:create_app', '--factory', '--host', '0.0.0.0', '--port', '8000'],
      cwd: '/Users/me/Desktop/proj/backend',
      env: {
        PYTHONPATH: '/Users/me/Desktop/proj/backend',
        SUPABASE_URL: 'https://proj.supabase.example.co',
        SUPABASE_SERVICE_KEY: 'your_service_key_here',
      },
    },
    'uvx-placeholder-secrets': {
      command: 'uvx',
      args: ['run', 'reddit-mcp'],
      env: {
        REDDIT_CLIENT_ID: 'your_reddit_client_id',
        REDDIT_CLIENT_SECRET: 'your_reddit_secret',
        REDDIT_USER_AGENT: 'MarketIntel/1.0',
      },
    },
    'windows-bat-empty-args': { command: 'C:\\MCP\\github-mcp.bat', args: [] },
    'git-sha': { command: 'npx', args: ['-y', 'github:example/mcp#3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b4c'] },
  },
  cursor: {
    'cursor-url': { url: 'https://mcp.exa.example.ai/mcp' },
    'cursor-url-headers': {
      url: 'https://mcp.example.com/mcp',
      headers: { Authorization: 'Bearer cur-secret-token-123' },
    },
    'cursor-x-api-key': { url: 'https://api.example.dev/mcp', headers: { 'x-api-key': 'xak-0987654321' } },
    'cursor-sse-type': { type: 'sse', url: 'https://mcp.atlassian.example.com/v1/sse' },
    'cursor-transport-field': { url: 'https://mcp.linear.example.app/mcp', transport: 'http' },
    'cursor-localhost-url': { url: 'http://localhost:3111/mcp' },
    'cursor-npx-latest-empty-env': { command: 'npx', args: ['@eslint/mcp@latest'], env: {} },
    'cursor-stdio': { command: 'npx', args: ['-y', 'agent-browser-mcp'], env: { BROWSER: 'chromium' } },
  },
  'claude-code': {
    'cc-http': { type: 'http', url: 'https://mcp.sentry.example.dev/mcp' },
    'cc-http-headers': {
      type: 'http',
      url: 'https://mcp.context7.example.com/mcp',
      headers: { CONTEXT7_API_KEY: 'ctx7sk-fake-1234567890' },
    },
    'cc-sse': { type: 'sse', url: 'https://mcp.atlassian.example.com/v1/sse' },
    'cc-headers-helper': {
      type: 'http',
      url: 'https://mcp.dealbook.example.no/mcp',
      headersHelper: 'node "${CLAUDE_PLUGIN_ROOT}/scripts/mcp-headers.mjs"',
    },
    // Claude Code expands ${VAR:-default} itself: imported literally, written back as it was.
    // (Real files often omit `type`; that case is the adapter's, see issue 12.)
    'cc-expanded-defaults': {
      type: 'stdio',
      command: 'npx',
      args: ['-y', 'salt-mcp', '--project', '${CLAUDE_PROJECT_DIR}'],
      env: {
        HOST: '${HOST:-https://api.example.ai}',
        SALT_API_KEY: '${SALT_API_KEY}',
        PGP_PASSPHRASE: '${PGP_PASSPHRASE:-}',
      },
    },
    'cc-stdio': { type: 'stdio', command: 'npx', args: ['-y', '@upstash/context7-mcp'], env: {} },
  },
};

/** Values in SHAPES that are secrets: none of them may be left in mcp.yaml. */
export const SECRET_VALUES = [
  'ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
  'hf_fake0token0value0abcdefghijklmnop',
  'k3y-1234-inline',
  'docs-secret-token-000',
  'qk-secret-99',
  'github_pat_11AAAAAAA0fakefakefakefake_abcdefghijklmnopqrstuvwxyz0123',
  'xoxb-1234567890-abcdefghij',
  's3cr3t-pw',
  'sbp_0123456789abcdef0123456789abcdef01234567',
  'sk-proj-abcdefghijklmnopqrstuvwx',
  'xoxb-0000000000-fakefakefake',
  'AKIAIOSFODNN7EXAMPLE',
  'c2lnbmF0dXJlX2Zha2VfdmFsdWVfMTIz',
  'glpat-abcdefghij1234567890',
  'Zq8xT2mK9pL4vR7nB3wY6cF1hJ5dG0sA',
  'cur-secret-token-123',
  'xak-0987654321',
  'ctx7sk-fake-1234567890',
  'ZmFrZV9zaWduYXR1cmVfMDAw',
  '11%40Xp%21%21',
  'your_service_key_here',
  'your_reddit_secret',
];
