import { test, expect } from '@playwright/test';

// Placeholder until the real journeys land.
test('home page answers and is titled Settle', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle(/Settle/);
});
