// Bundles the action entry (dist/index.js) and the CLI (dist/cli.js) with their dependencies, so that the
// action runs from a checkout with no `npm install`. Shared code lands in dist/chunks/.
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'

const outDir = process.env.ROLLUP_OUT_DIR || 'dist'

export default {
  input: { index: 'src/action/index.ts', cli: 'src/cli/index.ts' },
  output: {
    dir: outDir,
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name].js',
    sourcemap: false,
    generatedCode: 'es2015',
    // Bundled CommonJS (undici's lazy probes) calls `require` at run time; ES modules have none, so give them one.
    banner:
      "import { createRequire as __isCreateRequire } from 'node:module'; const require = __isCreateRequire(import.meta.url);"
  },
  onwarn(warning, warn) {
    // Circular imports inside third-party packages (undici, ajv) are theirs, and harmless.
    if (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules/.test(warning.message)) return
    if (warning.code === 'THIS_IS_UNDEFINED') return
    warn(warning)
  },
  plugins: [
    typescript({
      tsconfig: 'tsconfig.build.json',
      noEmit: false,
      outDir,
      module: 'NodeNext',
      include: ['src/**/*.ts']
    }),
    nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
    // undici 7 probes `node:sqlite` inside a try/catch; hoisted to a static import it would crash Node 20 at load.
    commonjs({ ignore: ['node:sqlite'] }),
    json()
  ]
}
