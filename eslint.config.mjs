// Lint: typescript-eslint's type-aware rules, Prettier for layout, and the import boundaries of docs/architecture.md.
import eslint from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'data/**', 'node_modules/**', 'eslint.config.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.spec.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Async implementations of Promise-returning contracts (CommandRunner.run, stores, fakes) read better than
      // Promise.resolve wrappers; a forgotten await is what no-floating-promises and no-misused-promises catch.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node, sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // supertest answers and JSON fixtures are `any` by design; the assertions are what type-check them.
    files: ['test/**/*.ts', 'src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } },
      'boundaries/include': ['src/**/*.ts'],
      // Each dialect folder is an element of its own; everything else under src/ is one shared element, whose
      // composition roots and registry are told apart by file category.
      'boundaries/elements': [
        { type: 'dialect', pattern: 'src/dialects/*', capture: ['dialect'] },
        { type: 'shared', pattern: 'src' },
      ],
      'boundaries/files': [
        {
          category: 'root',
          pattern: ['src/main.ts', 'src/cli.ts', 'src/workers.ts', 'src/app.module.ts', 'src/configure-app.ts', 'src/cli/**'],
        },
        { category: 'registry', pattern: 'src/dialects/index.ts' },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          checkInternals: true,
          // Later policies win over earlier ones.
          policies: [
            {
              from: { element: { type: 'shared' } },
              disallow: { to: { element: { type: 'dialect' } } },
              message: 'shared code never imports a dialect',
            },
            {
              from: { element: { types: { anyOf: ['shared', 'dialect'] } } },
              disallow: { to: { file: { categories: { anyOf: ['root', 'registry'] } } } },
              message: 'only a composition root reads the dialect registry or another root',
            },
            {
              from: { element: { type: 'dialect' } },
              disallow: { to: { element: { type: 'dialect', captured: { dialect: '!{{ from.element.captured.dialect }}' } } } },
              message: 'a dialect never imports another dialect',
            },
            {
              from: { file: { categories: { anyOf: ['root', 'registry'] } } },
              allow: { to: { element: { types: { anyOf: ['shared', 'dialect'] } } } },
            },
          ],
        },
      ],
    },
  },
  prettier,
);
