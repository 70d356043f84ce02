// The layering rules `npm test` enforces (see README, "How it works"). Typechecking is tsc's job; this
// config only keeps the core free of outside imports and the environment inside src/config.
import tsParser from '@typescript-eslint/parser';

/** Packages the core may use: pure libraries, no I/O and no transport. */
const CORE_PACKAGES = ['zod'];

/**
 * Relative imports that leave src/core, by the depth of the importing file: from src/core/x.ts any
 * `../`, from src/core/a/x.ts any `../../`, and so on. (Gitignore-style patterns match the import text,
 * not the resolved path, so each depth gets its own pattern.)
 */
function outOfCore(depth) {
  return [`${'../'.repeat(depth + 1)}*`];
}

const coreRule = (depth) => ({
  files: [`src/core/${'*/'.repeat(depth)}*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: outOfCore(depth), message: 'src/core imports nothing outside src/core: declare a port in src/core/ports and let an adapter implement it.' },
          {
            regex: `^(?!\\.|node:|${CORE_PACKAGES.join('$|')}$)`,
            message: 'src/core uses no outside package (no discord.js, SQL driver, HTTP client or logger): declare a port in src/core/ports.',
          },
        ],
      },
    ],
  },
});

export default [
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'coverage/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' },
    // Comments in the code name rules this config does not enable (no-control-regex): not an error.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
  {
    files: ['src/**/*.ts', 'commands/**/*.ts'],
    ignores: ['src/config/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Only src/config reads process.env: add the variable to src/config/env.ts and pass the parsed value down.' }],
    },
  },
  ...[0, 1, 2, 3].map(coreRule),
];
