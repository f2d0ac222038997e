// The README's webhook verification recipe, run exactly as printed, accepts what Doorstep signs and
// refuses tampering: the documentation cannot drift from the signer.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { newWebhookSecret, signPayload } from '../src/services/webhooks';
import { tempDir } from './harness';

it('verifies a signed delivery with the README recipe', async () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### Outgoing webhooks'));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  expect(code, 'the README has a js recipe under "Outgoing webhooks"').toBeDefined();
  const file = join(tempDir(), 'recipe.mjs');
  writeFileSync(file, `${code}\nexport { verifyDoorstep };\n`);
  const { verifyDoorstep } = (await import(pathToFileURL(file).href)) as {
    verifyDoorstep: (secret: string, body: string | Buffer, header: string, now?: number) => boolean;
  };

  const secret = newWebhookSecret();
  const body = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', data: { amount: 12500 } });
  const now = 1_790_000_000;
  const header = signPayload(secret, body, now);
  expect(verifyDoorstep(secret, Buffer.from(body), header, now + 10)).toBe(true);
  expect(verifyDoorstep(secret, body.replace('12500', '12501'), header, now)).toBe(false);
  expect(verifyDoorstep(newWebhookSecret(), body, header, now)).toBe(false);
  expect(verifyDoorstep(secret, body, header, now + 301)).toBe(false);
});
