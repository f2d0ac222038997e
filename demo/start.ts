// What `npm start` adds in development: the demo business (seeded once) and its website.
import type { Deps } from '../server/src/services/deps';
import { DEMO_BUSINESS, DEMO_CUSTOMER_EMAIL, DEMO_STAFF_EMAIL, seedDemo } from './seed';
import { startDemoSite } from './site';

export async function startDemo(deps: Deps, port: number) {
  const site = await startDemoSite(port, deps.publicUrl);
  const seeded = await seedDemo(deps, site);
  return {
    announce() {
      const line = '─'.repeat(64);
      console.log(`\n${line}`);
      console.log(' Doorstep demo');
      console.log(`   Business website:   ${site.origin}/   (press "Login to Portal")`);
      console.log(`   Customer portal:    ${site.origin}/portal.html`);
      console.log(`   Try the customer:   ${DEMO_CUSTOMER_EMAIL}`);
      console.log(`   Dev mailbox:        ${deps.publicUrl}/dev/mail   (sign-in links arrive here)`);
      console.log(`   Admin console:      ${deps.publicUrl}/admin   (staff: ${DEMO_STAFF_EMAIL})`);
      console.log(`   Hosted portal page: ${deps.publicUrl}/p/${DEMO_BUSINESS}`);
      if (seeded) console.log(`   Admin API key:      ${seeded.apiKey}   (shown once)`);
      console.log(`${line}\n`);
    },
    stop: () => site.close(),
  };
}
