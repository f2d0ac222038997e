// web-test-runner reporter that writes .tmp/wtr.json ({ passed, failed, skipped }) for scripts/test.mjs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

function countSuite(suite, totals) {
  for (const test of suite.tests) {
    if (test.skipped) totals.skipped += 1;
    else if (test.passed) totals.passed += 1;
    else totals.failed += 1;
  }
  for (const child of suite.suites) countSuite(child, totals);
}

/** @returns {import('@web/test-runner').Reporter} */
export function summaryReporter({ outputFile = '.tmp/wtr.json' } = {}) {
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        const before = totals.failed;
        if (session.testResults) countSuite(session.testResults, totals);
        // A file that failed to load, or threw outside a test, has no failing test to count.
        if (session.passed === false && totals.failed === before) totals.failed += 1;
      }
      mkdirSync(dirname(outputFile), { recursive: true });
      writeFileSync(outputFile, `${JSON.stringify(totals)}\n`);
    },
  };
}
