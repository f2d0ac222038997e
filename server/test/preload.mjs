// Preloaded (`node --import`) into servers that tests and benchmarks start. It changes nothing
// the server does with requests:
// - a listen() on a port with no host binds 127.0.0.1 instead of every interface (the server has no
//   HOST setting; these runs must stay on loopback);
// - DOORSTEP_TEST_CLOCK_OFFSET_MS=n moves Date.now() n ms ahead, so a restarted server sees time as
//   if it had come back n ms later (the durability harness uses it to let the dead process's
//   outbox claims lapse without waiting for them);
// - DOORSTEP_BENCH_ELD_FILE: see the end.
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number') {
    if (args.length === 1) args = [args[0], '127.0.0.1'];
    else if (typeof args[1] === 'function' || args[1] === undefined) args = [args[0], '127.0.0.1', ...args.slice(typeof args[1] === 'function' ? 1 : 2)];
  }
  return listen.apply(this, args);
};

const offset = Number(process.env.DOORSTEP_TEST_CLOCK_OFFSET_MS ?? 0);
if (Number.isFinite(offset) && offset !== 0) {
  const now = Date.now;
  Date.now = () => now() + offset;
}

// DOORSTEP_BENCH_ELD_FILE=path (bench/event-loop.ts): the server process measures its event-loop
// delay; each SIGUSR2 writes the figures since the previous one to the file and starts afresh.
// Its pid is written to `${path}.pid` so the signal reaches the server and not the tsx wrapper.
const eldFile = process.env.DOORSTEP_BENCH_ELD_FILE;
if (eldFile && isMainThread && /server[\\/]src[\\/]index\.ts$/.test(process.argv[1] ?? '')) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  writeFileSync(`${eldFile}.pid`, String(process.pid));
  process.on('SIGUSR2', () => {
    const ms = (ns) => Math.round((ns / 1e6) * 10) / 10;
    const figures = { count: histogram.count, mean: ms(histogram.mean), p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), at: Date.now() };
    writeFileSync(eldFile, JSON.stringify(figures));
    histogram.reset();
  });
}
