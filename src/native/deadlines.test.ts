import { afterEach, describe, expect, it, vi } from 'vitest';
import { Deadlines } from './deadlines';

afterEach(() => vi.useRealTimers());

describe('Deadlines', () => {
  it('expires each entry at its own time with one timer, and never expires removed ones', async () => {
    vi.useFakeTimers();
    const deadlines = new Deadlines<number>();
    const expired: number[] = [];
    deadlines.add(1, 300, () => expired.push(1));
    deadlines.add(2, 100, () => expired.push(2));
    deadlines.add(3, 200, () => expired.push(3));
    deadlines.add(4, 150, () => expired.push(4));
    deadlines.remove(4);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(expired).toEqual([2]);
    await vi.advanceTimersByTimeAsync(100);
    expect(expired).toEqual([2, 3]);
    await vi.advanceTimersByTimeAsync(100);
    expect(expired).toEqual([2, 3, 1]);
    expect(deadlines.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps one armed timer across sequential calls and stops once nothing is left', async () => {
    vi.useFakeTimers();
    const deadlines = new Deadlines<number>();
    for (let id = 0; id < 100; id += 1) {
      deadlines.add(id, 1000, () => undefined);
      deadlines.remove(id);
    }
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clear() drops every entry and the timer', () => {
    vi.useFakeTimers();
    const deadlines = new Deadlines<string>();
    const expire = vi.fn();
    deadlines.add('a', 1000, expire);
    deadlines.clear();
    expect(vi.getTimerCount()).toBe(0);
    expect(deadlines.size).toBe(0);
  });
});
