// The README's element reference is generated from dist/custom-elements.json (run `npm run build`
// first): this fails when the elements' JSDoc changed and `node scripts/element-docs.mjs --write`
// was not run.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);

describe('README element reference', () => {
  it('matches what scripts/element-docs.mjs prints from the manifest', () => {
    const docs = execFileSync(process.execPath, ['scripts/element-docs.mjs'], { cwd: root, encoding: 'utf8' });
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const generated = readme.slice(readme.indexOf('<!-- element-docs:start'), readme.indexOf('<!-- element-docs:end -->'));
    expect(generated.slice(generated.indexOf('-->') + 3).trim()).toBe(docs.trim());
  });

  it('documents every attribute, event, part and token of the public elements', () => {
    const docs = execFileSync(process.execPath, ['scripts/element-docs.mjs'], { cwd: root, encoding: 'utf8' });
    for (const text of ['`business`', '`api`', '`lang`', '`label`', 'portal-login-link-sent', 'portal-signed-in', 'portal-signed-out', 'portal-invoice-paid', 'portal-estimate-approved', 'portal-estimate-declined', 'portal-message-sent', '::part(button)', '::part(nav)', '--portal-color-primary', '--portal-font-family', '--portal-radius']) {
      expect(docs).toContain(text);
    }
  });
});
