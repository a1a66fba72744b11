// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostStatus } from '../../messaging/contract';
import { fakeSend } from '../test-support/fake-send';
import { OptionsApp } from './OptionsApp';
import { SECTION_IDS, sectionFromHash } from './sections';

const connected: HostStatus = {
  state: 'connected',
  hostVersion: '0.3.1',
  protocolVersion: 2,
  nodeVersion: 'v20.20.2',
  dataDir: '/home/ada/.local/share/ferry',
  capabilities: ['fs', 'csv'],
  lastRoundTripMs: 0.5,
  checkedAt: new Date().toISOString(),
};
const client = { status: vi.fn(async () => connected), reconnect: vi.fn(async () => connected) };

async function go(hash: string) {
  await act(async () => {
    window.location.hash = hash;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
}

beforeEach(() => {
  window.location.hash = '';
  vi.stubGlobal('chrome', { runtime: { getManifest: () => ({ version: '9.8.7' }) } });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('sectionFromHash', () => {
  it('reads #/<section> and falls back to overview', () => {
    expect(sectionFromHash('#/runs')).toBe('runs');
    expect(sectionFromHash('#runs')).toBe('runs');
    expect(sectionFromHash('#/nope')).toBe('overview');
    expect(sectionFromHash('')).toBe('overview');
  });
});

describe('OptionsApp', () => {
  it('has a labelled nav with one link per section, the active one marked current', async () => {
    render(<OptionsApp client={client} />);
    await act(async () => {});
    const nav = screen.getByRole('navigation', { name: 'Settings sections' });
    expect(nav.querySelectorAll('a')).toHaveLength(SECTION_IDS.length);
    for (const id of SECTION_IDS) expect(screen.getByTestId(`nav-${id}`).getAttribute('href')).toBe(`#/${id}`);
    expect(screen.getByTestId('nav-overview').getAttribute('aria-current')).toBe('page');
    expect(screen.getByTestId('section-overview')).toBeTruthy();
  });

  it('shows host status, data dir and capabilities on the overview', async () => {
    render(<OptionsApp client={client} />);
    await act(async () => {});
    expect(screen.getByTestId('host-status').getAttribute('data-state')).toBe('connected');
    expect(screen.getByTestId('host-data-dir').textContent).toBe(connected.dataDir);
    expect(screen.getByTestId('host-capabilities').textContent).toBe('fscsv');
  });

  it('follows the hash, moves focus to the heading and routes Integrations to its section', async () => {
    const { send } = fakeSend({
      'integrations.list': () => [],
      'integrations.health': () => [],
      'credentials.list': () => [],
      'env.list': () => [],
      'host.call': () => ({ ok: true, result: { roots: [], limits: { maxReadBytes: 1, maxWriteBytes: 1 } } }),
    });
    render(<OptionsApp client={client} send={send} />);
    await act(async () => {});
    await go('#/integrations');
    expect(await screen.findByTestId('integrations-empty')).toBeTruthy();
    expect(screen.getByTestId('roots-empty').textContent).toContain('npx ferry-host roots add');
    expect(screen.getByTestId('nav-integrations').getAttribute('aria-current')).toBe('page');
    expect(screen.getByTestId('nav-overview').getAttribute('aria-current')).toBeNull();
    expect(document.activeElement?.textContent).toBe('Integrations');
    expect(document.title).toBe('Integrations · Ferry');
  });

  it('shows extension and host versions on About', async () => {
    render(<OptionsApp client={client} />);
    await act(async () => {});
    await go('#/about');
    expect(screen.getByTestId('about-extension-version').textContent).toBe('9.8.7');
    expect(screen.getByTestId('about-host-version').textContent).toBe('0.3.1');
    expect(screen.getByTestId('about-protocol-version').textContent).toBe('2');
    expect(screen.getByTestId('about-node-version').textContent).toBe('v20.20.2');
  });

  it('routes Runs, Credentials and Settings to their sections, Runs in a wider column', async () => {
    const { send } = fakeSend({
      'runs.list': () => [],
      'pipelines.list': () => [],
      'credentials.list': () => [],
      'env.list': () => [],
      'host.call': () => ({ ok: true, result: { roots: [], limits: { maxReadBytes: 1, maxWriteBytes: 1 } } }),
    });
    render(<OptionsApp client={client} send={send} />);
    await go('#/runs');
    expect(await screen.findByTestId('runs-empty')).toBeTruthy();
    expect(screen.getByTestId('section-runs').className).toContain('max-w-5xl');
    await go('#/credentials');
    expect(await screen.findByTestId('credentials-empty')).toBeTruthy();
    await go('#/settings');
    expect(await screen.findByTestId('roots-empty')).toBeTruthy();
    expect(screen.getByTestId('section-settings').className).toContain('max-w-3xl');
  });
});
