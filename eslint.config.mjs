// ESLint (flat config): typescript-eslint's recommended rules, the size limits of the project's guide (files of at most
// 400 lines, functions of at most 80), and the walls between folders (docs/ARCHITECTURE.md).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/** What a shell may not import: the pipeline's inner folders, and the internals of registry/ and delivery/. */
const shellWalls = [
  {
    group: ['**/stream/**', '**/triggers/**', '**/importer/**'],
    message: 'Shells call the pipeline (src/pipeline/), not the stream rules, the triggers or the importer.'
  },
  { group: ['**/registry/*', '!**/registry/index.js'], message: 'Shells use registry/index.js only.' },
  { group: ['**/delivery/*', '!**/delivery/index.js'], message: 'Shells use delivery/index.js only.' }
]

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/out/**', 'src/stream/state-schema.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // TypeScript (and Node for the .mjs scripts) reports undefined names with their real globals.
      'no-undef': 'off',
      // Errors re-thrown as InputError carry the cause's message in their own; the stack would only reach logs.
      'preserve-caught-error': 'off'
    }
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-control-regex': 'off'
    }
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }]
    }
  },
  {
    files: ['src/action/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: shellWalls,
          paths: [
            { name: 'node:child_process', message: 'Shells never run git: delivery/ does.' },
            { name: '@octokit/rest', message: 'Shells never call GitHub: delivery/ does.' }
          ]
        }
      ]
    }
  },
  {
    files: ['src/stream/**/*.ts', 'src/triggers/**/*.ts', 'src/reference/**/*.ts', 'src/registry/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/pipeline/**', '**/delivery/**', '**/action/**', '**/cli/**', '**/report/**'],
              message: 'Lower folders never import the folders above them in the pipeline.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  }
)
