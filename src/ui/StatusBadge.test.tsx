// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { StatusBadge } from './StatusBadge';
import type { DisplayState } from './hostStatusText';

afterEach(cleanup);

const cases: Array<[DisplayState, string, RegExp]> = [
  ['connected', 'Connected', /emerald/],
  ['connecting', 'Connecting', /sky/],
  ['disconnected', 'Disconnected', /red/],
  ['not-installed', 'Not installed', /amber/],
  ['idle', 'Idle', /zinc/],
  ['unknown', 'Unknown', /zinc/],
];

describe('StatusBadge', () => {
  it.each(cases)('shows %s as "%s" with its colour', (state, label, colour) => {
    render(<StatusBadge state={state} />);
    const badge = screen.getByTestId('host-status');
    expect(badge.getAttribute('data-state')).toBe(state);
    expect(badge.textContent).toBe(label);
    expect(badge.getAttribute('aria-label')).toBe(`Native host: ${label}`);
    expect(badge.className).toMatch(colour);
  });

  it('pulses only while connecting', () => {
    const { rerender, container } = render(<StatusBadge state="connecting" />);
    expect(container.querySelector('.motion-safe\\:animate-pulse')).not.toBeNull();
    rerender(<StatusBadge state="connected" />);
    expect(container.querySelector('.motion-safe\\:animate-pulse')).toBeNull();
  });
});
