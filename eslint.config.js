// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Keeps data flowing one way: protocol -> core -> element; server and verify stand apart. */
const layer = (files, patterns, extra = {}) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns }],
    ...extra,
  },
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'coverage/',
      'test-results/',
      '.queue-gate-data/',
      'custom-elements.json',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  layer(
    ['src/protocol.ts'],
    [
      {
        regex: '^(?!\\./protocol/[a-z-]+\\.js$)',
        message: 'protocol.ts only gathers its own protocol/ files.',
      },
    ],
  ),
  layer(
    ['src/protocol/**'],
    [{ regex: '^(?!\\./[a-z-]+\\.js$)', message: 'The protocol files import only each other.' }],
  ),
  layer(
    ['src/core/**'],
    [
      { group: ['lit', 'lit/*', '@lit/*'], message: 'The core is framework-free.' },
      {
        group: ['**/element/**', '**/server/**', '**/verify/**', '**/mocks/**'],
        message: 'The core depends only on protocol.ts.',
      },
    ],
  ),
  layer(
    ['src/element/**'],
    [
      {
        group: ['**/server/**', '**/verify/**', '**/mocks/**'],
        message: 'The element renders the core.',
      },
    ],
    {
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'The element never talks HTTP; the core does.' },
      ],
    },
  ),
  layer(
    ['src/verify/**'],
    [
      { group: ['lit', 'lit/*'], message: 'verify runs on booking backends.' },
      {
        group: ['**/core/**', '**/element/**', '**/server/**', '**/mocks/**'],
        message: 'verify stands alone.',
      },
    ],
  ),
  layer(
    ['src/server/**'],
    [
      { group: ['lit', 'lit/*'], message: 'The server never imports the element.' },
      {
        group: ['**/core/**', '**/element/**', '**/mocks/**'],
        message: 'The server shares only protocol and verify.',
      },
    ],
  ),
);
