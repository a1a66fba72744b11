/** A user who has not installed the host sees why, and the next step, in the popup. */
import path from 'node:path';
import { ARTIFACTS } from '../support/paths';
import { expect, launchFerryChromium, test } from './support/chromium';

test('without the host installed the popup says so and tells the user how to install it', async () => {
  const ferry = await launchFerryChromium({ installHost: false });
  try {
    const popup = await ferry.openPage('popup.html', { width: 360, height: 520 });
    await expect(popup.getByTestId('host-status')).toHaveAttribute('data-state', 'not-installed');
    await expect(popup.getByText('npm run host:install').first()).toBeVisible();
    await popup.screenshot({ path: path.join(ARTIFACTS, 'e2e', 'chromium-popup-not-installed.png') });
    // The toolbar badge flags the problem too, with the next step in its tooltip.
    const badge = await ferry.worker.evaluate(async () => ({
      text: await chrome.action.getBadgeText({}),
      title: await chrome.action.getTitle({}),
    }));
    expect(badge.text).toBe('!');
    expect(badge.title).toContain('npm run host:install');
  } finally {
    await ferry.close();
  }
});
