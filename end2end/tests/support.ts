// Shared steps for the browser journeys.

import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

export const OWNER = { email: 'owner@example.com', password: 'correct horse battery staple' };

/** Signs in, creating the owner first on a fresh database. */
export async function signIn(page: Page) {
  await page.goto('/login');
  const create = page.getByRole('button', { name: 'Create owner account' });
  const signIn = page.getByRole('button', { name: 'Sign in' });
  await expect(create.or(signIn)).toBeVisible();
  if (await create.isVisible()) {
    await page.getByLabel('Business name').fill('Harbour Studio');
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await create.click();
  } else {
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await signIn.click();
  }
  // Password hashing is deliberately slow, and slower still in a debug build on a busy machine.
  await expect(page.getByTestId('kpi-outstanding')).toBeVisible({ timeout: 20_000 });
}

export function uniqueSuffix(info: TestInfo): string {
  return `${info.project.name} ${Date.now().toString(36)}`;
}

/** The one visible match: the desktop sidebar and the phone tab bar hold the same links. */
export function visible(locator: Locator): Locator {
  return locator.filter({ visible: true }).first();
}

/** "1,234.50 GBP" → 1234.5 */
export function money(text: string): number {
  const match = text.replace(/,/g, '').match(/-?\d+(\.\d+)?/);
  if (!match) throw new Error(`no amount in "${text}"`);
  return Number(match[0]);
}

/** The date `offset` days from today in the browser's zone, as the date inputs take it. */
export function isoDay(offset: number): string {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Calls a server function from the page's session, as the app does. */
export async function call(page: Page, name: string, args: unknown) {
  const origin = new URL(page.url()).origin;
  const response = await page.request.post(`/api/${name}`, { data: args, headers: { origin } });
  expect(response.ok(), `${name}: ${await response.text()}`).toBeTruthy();
  return response.json();
}

/** Makes sure a named tax rate of `percent` is in use, adding a standard one if none is. */
export async function ensureRate(page: Page, percent: string) {
  const rates: { name: string; rate: string; archived: boolean }[] = await call(page, 'list_tax_rates', {});
  if (rates.some((r) => !r.archived && Number(r.rate) === Number(percent))) return;
  await call(page, 'save_tax_rate', {
    id: null,
    form: { name: `VAT ${percent}%`, rate: percent, category: 'standard', exemption_reason: '' },
  });
}

/** Chooses the named tax rate of `percent` on line `n` (0% is the zero-rated one). */
export async function chooseRate(page: Page, n: number, percent: string) {
  const select = page.getByLabel(`Tax rate (line ${n})`, { exact: true });
  if (Number(percent) === 0) {
    await select.selectOption({ label: '0% Zero-rated' });
    return;
  }
  const escaped = percent.replace('.', '\\.');
  const option = select.locator('option', { hasText: new RegExp(`^${escaped}% `) }).first();
  const value = await option.getAttribute('value');
  await select.selectOption(value ?? '');
}
