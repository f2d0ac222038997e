// Browser tests for widget/: TypeScript through esbuild, run in the system's Chromium.
import { defaultReporter } from '@web/test-runner';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { summaryReporter } from './scripts/wtr-summary-reporter.mjs';

export default {
  files: ['widget/src/**/*.test.ts'],
  nodeResolve: true,
  plugins: [esbuildPlugin({ ts: true, tsconfig: 'widget/tsconfig.json' })],
  // The built bundles are loaded from another origin in tests, as businesses' sites load them from
  // the Doorstep server: the chunk is an ES module, so it needs CORS like the server gives it.
  middleware: [
    async (context, next) => {
      await next();
      if (context.path.startsWith('/dist/')) context.set('Access-Control-Allow-Origin', '*');
    },
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        // No test tool may download a browser here; use the one apt installed.
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-quic',
          '--no-first-run',
        ],
      },
    }),
  ],
  reporters: [defaultReporter(), summaryReporter()],
};
