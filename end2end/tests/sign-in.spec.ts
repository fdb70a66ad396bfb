// Signing out and back in: a page opened without a session sends the person to sign in, and
// signing in brings them back to that page.

import { test, expect } from '@playwright/test';
import { OWNER, signIn } from './support';

test('signing in returns to the page that asked for it', async ({ page }) => {
  await signIn(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);

  await page.goto('/customers');
  await expect(page).toHaveURL(/\/login\?next=%2Fcustomers$/);
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(/\/customers$/);
  await expect(page.getByRole('link', { name: 'New customer' })).toBeVisible();
});
