// Builds dist/portal.js: the single minified classic script a business pastes into its site.
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

export default {
  input: 'widget/src/index.ts',
  output: {
    file: 'dist/portal.js',
    format: 'iife',
    sourcemap: false,
  },
  plugins: [
    // widget/tsconfig.json sets noEmitOnError, which turns type errors into a failed build.
    // The plugin insists outDir contain the output file; nothing is written there.
    typescript({ tsconfig: 'widget/tsconfig.json', outDir: 'dist' }),
    nodeResolve({ browser: true }),
    terser({ format: { comments: false } }),
  ],
};
