// ESLint is used here for one thing only: the import boundaries between the layers
// (DESIGN.md, "imports only go down": extension -> adapter -> emulator). Style and
// correctness are left to `tsc --strict`, so this config stays small and the tree passes.
// test/architecture.test.ts checks that these rules stay in force.
import tseslint from 'typescript-eslint';

// A relative specifier that climbs out of the current folder (at least one `..`) into a
// top-level layer folder. It cannot tell `emulator/x/../adapter` from the top-level
// `adapter/`, so no folder inside a layer may be named like another layer.
const climbsInto = (layers) => `^(\\.{1,2}/)*\\.\\./(\\.{1,2}/)*(${layers.join('|')})(/|$)`;

// The same specifiers inside `import('...')`, which no-restricted-imports does not see.
// esquery regex literals cannot contain '/', hence \x2F.
const dynamicImportOf = (regex) => `ImportExpression > Literal[value=/${regex.replaceAll('/', '\\x2F')}/]`;

function boundary(layer, forbidden) {
  const patterns = forbidden.patterns.map((regex) => ({
    regex,
    message: `${layer}/ must not import from ${forbidden.what} (DESIGN.md: imports only go down).`,
  }));
  return {
    files: [`${layer}/**/*.ts`, `${layer}/**/*.js`],
    rules: {
      'no-restricted-imports': ['error', { patterns }],
      'no-restricted-syntax': [
        'error',
        ...forbidden.patterns.map((regex) => ({
          selector: dynamicImportOf(regex),
          message: `${layer}/ must not import() from ${forbidden.what} (DESIGN.md: imports only go down).`,
        })),
      ],
    },
  };
}

export default [
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'samples/**'] },
  {
    // TypeScript parsing only. The plugin is registered (no rules enabled) so that
    // `eslint-disable` comments naming its rules do not fail as unknown rules.
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, sourceType: 'module', ecmaVersion: 2022 },
    plugins: { '@typescript-eslint': tseslint.plugin },
  },
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  // The machine knows nothing of DAP or VS Code: it must run headless (the CLI, the tests).
  boundary('emulator', {
    what: 'adapter/, extension/, vscode or @vscode/*',
    patterns: [climbsInto(['adapter', 'extension']), '^vscode(/|$)', '^@vscode/'],
  }),
  // The adapter is a plain DAP server; only the extension talks to the VS Code API.
  boundary('adapter', {
    what: 'extension/ or vscode',
    patterns: [climbsInto(['extension']), '^vscode(/|$)'],
  }),
];
