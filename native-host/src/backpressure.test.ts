import { describe, expect, it } from 'vitest';
import { Backpressure } from './backpressure';
import { createLogger } from './logger';

function setup() {
  const load = { unsentBytes: 0, activeCalls: 0 };
  const events: string[] = [];
  const lines: string[] = [];
  const pressure = new Backpressure({
    maxUnsentBytes: 1000,
    maxActiveCalls: 10,
    load: () => load,
    pause: () => events.push('pause'),
    resume: () => events.push('resume'),
    logger: createLogger('info', [(l) => lines.push(l)]),
  });
  return { load, events, lines, pressure };
}

describe('Backpressure', () => {
  it('pauses above either bound and resumes only once both are at half', () => {
    const { load, events, pressure } = setup();
    load.unsentBytes = 1000;
    pressure.update();
    expect(events).toEqual([]);
    load.unsentBytes = 1001;
    pressure.update();
    pressure.update();
    expect(events).toEqual(['pause']);
    load.unsentBytes = 600;
    pressure.update();
    expect(events).toEqual(['pause']);
    load.unsentBytes = 500;
    load.activeCalls = 6;
    pressure.update();
    expect(events).toEqual(['pause']);
    load.activeCalls = 5;
    pressure.update();
    expect(events).toEqual(['pause', 'resume']);
    load.activeCalls = 11;
    pressure.update();
    expect(events).toEqual(['pause', 'resume', 'pause']);
    expect(pressure.pauseCount).toBe(2);
    expect(pressure.isPaused).toBe(true);
  });

  it('logs the first pause at info and the later ones only at debug', () => {
    const { load, lines, pressure } = setup();
    for (let i = 0; i < 5; i++) {
      load.unsentBytes = 2000;
      pressure.update();
      load.unsentBytes = 0;
      pressure.update();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('pausing input');
  });
});
