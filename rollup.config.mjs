// Builds the widget:
// - dist/portal.js: the one classic script a business pastes into its site (Lit, <portal-login>,
//   and a <customer-portal> that loads the rest on demand);
// - dist/portal-app.js: the portal itself, an ES module that <customer-portal> import()s.
//
// Both must run under a host CSP of `require-trusted-types-for 'script'; trusted-types lit-html`,
// which lets a page create the 'lit-html' policy once. So there is exactly one lit-html per page:
// portal-app.js takes portal.js's (sharedLit below) instead of bundling its own, and a second
// portal.js stops before its lit-html runs (the intro below). The chunk bundles the rest of Lit
// (ReactiveElement, LitElement), which portal.js's small elements do without.
import { readFileSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const VERSION = /VERSION = '([^']+)'/.exec(readFileSync('widget/src/internal/version.ts', 'utf8'))[1];

/** lit-html's runtime module: it creates the Trusted Types policy and holds the template cache. */
const LIT_HTML = /[\\/]node_modules[\\/]lit-html[\\/](development[\\/])?lit-html\.js$/;

/**
 * What portal.js publishes of it (widget/src/internal/shared-lit.ts). An import of anything else
 * fails the build here ("… is not exported by …doorstep-shared-lit").
 */
const LIT_EXPORTS = ['html', 'svg', 'mathml', 'render', 'nothing', 'noChange', '_$LH'];

function sharedLit() {
  const id = '\0doorstep-shared-lit';
  return {
    name: 'doorstep-shared-lit',
    async resolveId(source, importer, options) {
      if (source === id) return id;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && LIT_HTML.test(resolved.id) ? id : null;
    },
    load(loadId) {
      if (loadId !== id) return null;
      return [
        `const shared = globalThis[Symbol.for('doorstep.lit')];`,
        `if (!shared) throw new Error('portal-app.js is loaded by portal.js; add portal.js to the page instead.');`,
        `export const { ${LIT_EXPORTS.join(', ')} } = shared.lit;`,
      ].join('\n');
    },
  };
}

/**
 * Terser leaves template literals alone, and Lit's css`` and html`` are a good part of our bytes:
 * drop CSS comments and the indentation of both (a run of whitespace with a line break in HTML is
 * a single space to the browser anyway; between two tags, none).
 */
function minifyTemplates() {
  const css = (text) =>
    text
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/ ?([{};,>]) ?/g, '$1')
      .replace(/: /g, ':')
      .replace(/;}/g, '}');
  const html = (text) => text.replace(/>\s*\n\s*</g, '><').replace(/\s*\n\s*/g, ' ');
  const minifiers = { css, html, svg: html };
  return {
    name: 'doorstep-minify-templates',
    transform(code, id) {
      if (!/[\\/]widget[\\/]src[\\/]/.test(id)) return null;
      const edits = [];
      const visit = (node) => {
        if (!node || typeof node.type !== 'string') return;
        if (node.type === 'TaggedTemplateExpression' && node.tag.type === 'Identifier' && minifiers[node.tag.name]) {
          for (const quasi of node.quasi.quasis) edits.push([quasi.start, quasi.end, minifiers[node.tag.name]]);
        }
        for (const value of Object.values(node)) {
          if (Array.isArray(value)) value.forEach(visit);
          else if (value && typeof value === 'object') visit(value);
        }
      };
      visit(this.parse(code));
      let out = code;
      for (const [start, end, minify] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + minify(out.slice(start, end)) + out.slice(end);
      return { code: out, map: null };
    },
  };
}

// Runs first inside portal.js's function: a second copy (the same or another version) does nothing.
const onlyOnce = `var loaded = globalThis[Symbol.for('doorstep.lit')];
if (loaded) {
  if (loaded.version !== '${VERSION}') console.warn('Doorstep: portal.js ' + loaded.version + ' is on this page already; ${VERSION} did not load.');
  return;
}`;

const plugins = () => [
  // widget/tsconfig.json sets noEmitOnError, which turns type errors into a failed build.
  // The plugin insists outDir contain the output file; nothing is written there.
  typescript({ tsconfig: 'widget/tsconfig.json', outDir: 'dist' }),
  minifyTemplates(),
  nodeResolve({ browser: true }),
];

export default [
  {
    input: 'widget/src/index.ts',
    output: { file: 'dist/portal.js', format: 'iife', intro: onlyOnce, sourcemap: false },
    // ASCII only: a script served without a charset is read in the page's encoding.
    plugins: [...plugins(), terser({ format: { comments: false, ascii_only: true } })],
  },
  {
    input: 'widget/src/portal-app.ts',
    output: { file: 'dist/portal-app.js', format: 'es', sourcemap: false },
    plugins: [sharedLit(), ...plugins(), terser({ module: true, format: { comments: false, ascii_only: true } })],
  },
  // The admin console (served at /admin): its own bundle with its own Lit, never on a business's site.
  {
    input: 'admin/src/index.ts',
    output: { file: 'dist/admin.js', format: 'es', sourcemap: false },
    plugins: [
      typescript({ tsconfig: 'admin/tsconfig.json', outDir: 'dist' }),
      nodeResolve({ browser: true }),
      terser({ module: true, format: { comments: false } }),
    ],
  },
];
