import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Libraries import downward only (../shared/architecture.md "Boundaries that hold"): a lib may import
// its own layer and those below it, never one above, and never an app. A new lib joins a layer here.
const LAYERS = [
  ['domain'],
  ['http', 'database', 'queue'],
  ['access'],
  ['auth', 'audit'],
  ['registry', 'aggregation'],
  ['reporting', 'surveys', 'imports', 'web', 'health', 'demo'],
];
const layering = LAYERS.flatMap((layer, level) => {
  const above = LAYERS.slice(level + 1).flat();
  return layer.map((lib) => ({
    files: [`libs/${lib}/**/*.ts`, `libs/${lib}/**/*.tsx`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...(above.length
              ? [
                  {
                    group: above.flatMap((name) => [`@app/${name}`, `@app/${name}/*`]),
                    message: `libs/${lib} may import only its own layer and those below it (eslint.config.mjs LAYERS)`,
                  },
                ]
              : []),
            { group: ['**/apps/**'], message: 'libraries never import from an app' },
          ],
        },
      ],
    },
  }));
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', '*.js', '*.mjs', 'scripts/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  ...layering,
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts', '**/*.spec.ts'],
    // Tests read untyped JSON bodies.
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
