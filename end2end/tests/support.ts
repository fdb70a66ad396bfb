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

/**
 * Every page of the signed-in app whose address holds no id, for the specs that visit them
 * all (security, accessibility, screenshots). A new page goes here.
 */
export const PAGES = ['/', '/customers', '/customers/new', '/invoices', '/invoices/new',
  '/payments', '/payments/new', '/bank', '/expenses', '/expenses/new', '/books',
  '/books/profit-loss', '/books/balance-sheet', '/books/ledger', '/books/journal',
  '/books/cash-flow', '/books/cash-flow/movements', '/books/accounts', '/books/aging',
  '/books/tax', '/books/tax/documents?side=output&rate=20', '/recurring', '/recurring/new',
  '/credit-notes', '/quotes', '/quotes/new', '/items', '/audit', '/account', '/people',
  '/settings', '/settings/numbering', '/settings/bank-accounts', '/settings/tax-rates',
  '/settings/api-tokens', '/customers?archived=1'];

/**
 * The pages with an id in their address, one of each kind: a customer, a draft invoice and
 * an issued one paid in part, a payment and a quote are made for them; the other kinds
 * (expenses, vendors, credit notes, recurring invoices, journal entries) are taken from
 * their lists when the database holds any.
 */
export async function detailPages(page: Page, info: TestInfo): Promise<string[]> {
  const customer = await call(page, 'save_customer', {
    id: null,
    form: { name: `Page Tour ${uniqueSuffix(info)}`, email: 'tour@example.com', billing_address: '1 Quay Street',
      tax_id: '', currency: 'GBP', payment_terms_days: '14', notes: '' },
  });
  const form = (id: number | null) => ({
    id, customer_id: customer, issue_date: isoDay(0), due_date: isoDay(14), currency: 'GBP', notes: '',
    lines: [{ description: 'Harbour survey', quantity: '2', unit_price: '125.00', discount_percent: '0',
      tax_rate: '0', revenue_account: '4000' }],
  });
  const draft = await call(page, 'save_draft', { form: form(null) });
  const issued = await call(page, 'save_draft', { form: form(null) });
  await call(page, 'issue_invoice', { id: issued });
  const receipt = await call(page, 'record_payment', {
    form: { customer_id: customer, amount: '100.00', received_on: isoDay(0), method: 'BankTransfer',
      bank_account_id: null, reference: 'tour', allocations: [[issued, '100.00']], keep_excess_as_credit: false,
      idempotency_key: `tour-${Date.now()}-${Math.random()}`, fee: '', fee_account: null },
  });
  const quote = await call(page, 'save_quote', { form: form(null) });
  const pages = [`/customers/${customer}`, `/customers/${customer}/statement`, `/invoices/${issued}`,
    `/invoices/${draft}/edit`, `/invoices/${issued}/print`, `/quotes/${quote}`, `/quotes/${quote}/edit`,
    `/quotes/${quote}/print`, '/books/accounts/1100'];
  if (receipt && typeof receipt.payment_id === 'number') pages.push(`/payments/${receipt.payment_id}`);
  const lists: [string, RegExp][] = [
    ['/payments', /^\/payments\/\d+$/],
    ['/expenses', /^\/(expenses|vendors)\/\d+$/],
    ['/credit-notes', /^\/credit-notes\/\d+$/],
    ['/recurring', /^\/recurring\/\d+$/],
    ['/books/journal', /^\/books\/journal\/\d+$/],
  ];
  for (const [list, detail] of lists) {
    await page.goto(list);
    await expect(page.locator('html[data-live=connected]')).toBeAttached({ timeout: 15_000 });
    const hrefs = await page.locator('main a[href]').evaluateAll((links) =>
      links.map((a) => a.getAttribute('href') ?? ''));
    const kinds = new Set<string>();
    for (const href of hrefs) {
      const kind = href.split('/')[1];
      if (detail.test(href) && !kinds.has(kind) && !pages.includes(href)) {
        kinds.add(kind);
        pages.push(href);
      }
    }
  }
  return pages;
}

/** Opens one of the pages above and waits until it is live (a print view has no live stream). */
export async function openPage(page: Page, path: string) {
  const response = await page.goto(path);
  if (/\/print$/.test(path)) {
    await expect(page.locator('.sheet')).toBeVisible({ timeout: 15_000 });
  } else {
    await expect(page.locator('html[data-live=connected]')).toBeAttached({ timeout: 15_000 });
  }
  return response;
}
