// ESLint flat config: typescript-eslint's recommended rules; formatting is Prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'src/generated/', 'test/fixtures/**/node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        Response: 'readonly',
        Headers: 'readonly',
        __MCPFORM_VERSION__: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The World rule: below src/cli the machine is known only through the World (src/world.ts),
    // read once in src/cli/world.ts and passed down, so every core function runs in-process for
    // another home, OS or clock. src/util/host.ts names the host's own facts (how Node spawns here).
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/util/host.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: "Use the World's env (world.env), passed down from src/cli." },
        {
          object: 'process',
          property: 'platform',
          message:
            "Use world.platform (the user's OS rules); hostPlatform (src/util/host.ts) only for how this host spawns.",
        },
        { object: 'process', property: 'cwd', message: 'Use world.cwd, passed down from src/cli.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Use world.now() for the time (a test may fix the clock).',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Use world.now() for a timestamp, performance.now() for elapsed time.',
        },
        {
          // os.homedir(), however os was imported.
          selector: "MemberExpression[property.name='homedir']",
          message: 'Use world.home (requireHome(world) where one is needed).',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: ['node:os', 'os'].map((name) => ({
            name,
            importNames: ['homedir'],
            message: 'Use world.home (requireHome(world) where one is needed).',
          })),
        },
      ],
    },
  },
);
