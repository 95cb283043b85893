/**
 * The case list at /cases: filters, sorting and paging compared with the
 * sandbox's own search results, the URL as the list's state, request
 * handling under latency, the result window, error states, keyboard
 * shortcuts and access-dependent actions.
 */
import type { Page, Request } from '@playwright/test';

import { expect, signIn, startSandbox, test as base, type Sandbox, type SandboxOptions } from './fixtures';

/**
 * Keeps the token in sessionStorage (a deployment setting), so tests can
 * load URLs and reload without signing in again.
 */
const SANDBOX_OPTIONS: SandboxOptions = { configOverride: { tokenStorage: 'session' } };

const test = base.extend({
  sandbox: async ({}, use, testInfo) => {
    const sandbox = await startSandbox(SANDBOX_OPTIONS);
    try {
      await use(sandbox);
    } finally {
      await sandbox.stop();
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('sandbox.log', { body: sandbox.output(), contentType: 'text/plain' });
      }
    }
  },
});

/** A search request body as the API takes it. */
interface SearchBody {
  searchText?: string;
  status?: string;
  priority?: string;
  assignedToUserId?: string;
  tags?: string[];
  customerId?: string;
  orderId?: string;
  dateFrom?: string;
  dateTo?: string;
  sortOrder?: string;
  page?: number;
  take?: number;
  includeDeleted?: boolean;
}

/** The fields of a case the tests read. */
interface CaseSummary {
  id: string;
  caseNumber: string;
  customerId?: string;
  status?: string;
  tags?: string[];
  relatedOrders?: string[];
  followUpDate?: string;
}

interface SearchResult {
  result: CaseSummary[];
  totalHits: number;
}

/** Page size of the sandbox's generated config.json. */
const PAGE_SIZE = 20;

/** Search latency that keeps a request in flight while the test acts. */
const SLOW_SEARCH_MS = 1_500;

/** Sends a search to the sandbox with the admin token. */
async function sandboxSearch(sandbox: Sandbox, body: SearchBody): Promise<SearchResult> {
  const response = await fetch(`${sandbox.url}/api/cases/search`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sandbox.tokens.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, `search ${JSON.stringify(body)}`).toBe(200);
  return (await response.json()) as SearchResult;
}

function caseNumbers(answer: SearchResult): string[] {
  return answer.result.map((found) => found.caseNumber);
}

function isSearch(request: Request): boolean {
  return request.method() === 'POST' && new URL(request.url()).pathname === '/api/cases/search';
}

function searchBody(request: Request): SearchBody {
  return JSON.parse(request.postData() ?? '{}') as SearchBody;
}

/** Waits for the app's next search request whose body passes `matches`. */
function nextSearch(page: Page, matches: (body: SearchBody) => boolean): Promise<Request> {
  return page.waitForRequest((request) => isSearch(request) && matches(searchBody(request)));
}

function casesTable(page: Page) {
  return page.getByRole('table', { name: 'Cases' });
}

function numberCells(page: Page) {
  return casesTable(page).locator('tbody td.col-number');
}

function listUrl(sandbox: Sandbox, query = ''): string {
  return new URL(`cases${query}`, sandbox.appUrl).toString();
}

/** Signs in and opens the list at `query`, waiting for its first rows. */
async function openList(page: Page, sandbox: Sandbox, query = '', token = sandbox.tokens.admin): Promise<void> {
  await signIn(page, sandbox.appUrl, token);
  await page.goto(listUrl(sandbox, query));
  await expect(numberCells(page).first()).toBeVisible();
}

/** Checks that the rows shown are the sandbox's search result for `body`. */
async function expectRowsLike(page: Page, sandbox: Sandbox, body: SearchBody): Promise<SearchResult> {
  const answer = await sandboxSearch(sandbox, body);
  await expect(numberCells(page)).toHaveText(caseNumbers(answer));
  return answer;
}

/** Returns the UTC instant of a local wall-clock time, computed by the browser. */
function localInstant(page: Page, date: string, time: string): Promise<number> {
  return page.evaluate(([day, clock]) => new Date(`${day}T${clock}`).getTime(), [date, time]);
}

/** Formats a date `daysAgo` days before today as YYYY-MM-DD, in the browser's zone. */
function localDateDaysAgo(page: Page, daysAgo: number): Promise<string> {
  return page.evaluate((days) => {
    const date = new Date();
    date.setDate(date.getDate() - days);
    const pad = (value: number) => String(value).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  }, daysAgo);
}

test.describe('list', () => {
  test.use({ timezoneId: 'Europe/Oslo' });

  test('list shows the sandbox default search', async ({ page, sandbox, expectNoConsoleErrors }) => {
    await openList(page, sandbox);

    const answer = await expectRowsLike(page, sandbox, { sortOrder: 'CreatedDescending', page: 0, take: PAGE_SIZE });
    await expect(page.getByText(`1–${PAGE_SIZE} of ${answer.totalHits} cases`)).toBeVisible();
    await expect(page.getByRole('columnheader', { name: 'Created' })).toHaveAttribute('aria-sort', 'descending');
    await expect(page.getByRole('link', { name: 'New case' })).toBeVisible();
    expectNoConsoleErrors();
  });

  test('list filters narrow like the sandbox', async ({ page, sandbox, expectNoConsoleErrors }) => {
    // Many searches in one test: each loop step compares with the sandbox.
    test.slow();
    await openList(page, sandbox);
    const unfiltered = await sandboxSearch(sandbox, { page: 0, take: 100 });
    const sample = unfiltered.result[7];
    const fromDate = await localDateDaysAgo(page, 90);
    const toDate = await localDateDaysAgo(page, 30);
    const fromInstant = await localInstant(page, fromDate, '00:00:00');
    const toInstant = (await localInstant(page, toDate, '23:59:59')) + 999;

    const filters: {
      name: string;
      param: string;
      apply: () => Promise<void>;
      sent: (body: SearchBody) => boolean;
    }[] = [
      {
        name: 'search text',
        param: 'q=refund',
        apply: () => page.getByLabel('Search', { exact: true }).fill('refund'),
        sent: (body) => body.searchText === 'refund',
      },
      {
        name: 'status',
        param: 'status=New',
        apply: async () => {
          await page.getByLabel('Status', { exact: true }).fill('New');
          await page.getByLabel('Status', { exact: true }).press('Enter');
        },
        sent: (body) => body.status === 'New',
      },
      {
        name: 'priority',
        param: 'priority=High',
        apply: async () => {
          await page.getByLabel('Priority', { exact: true }).fill('High');
          await page.getByLabel('Priority', { exact: true }).press('Enter');
        },
        sent: (body) => body.priority === 'High',
      },
      {
        name: 'assignee',
        param: 'assignee=agent-grace',
        apply: async () => {
          await page.getByLabel('Assignee (user id)').fill('agent-grace');
          await page.getByLabel('Assignee (user id)').press('Enter');
        },
        sent: (body) => body.assignedToUserId === 'agent-grace',
      },
      {
        name: 'tags',
        param: 'tag=refund&tag=shipping',
        apply: async () => {
          await page.getByLabel('Add tag').fill('refund');
          await page.getByLabel('Add tag').press('Enter');
          await expect(page.getByRole('button', { name: 'Remove tag refund' })).toBeVisible();
          await page.getByLabel('Add tag').fill('shipping');
          await page.getByLabel('Add tag').press('Enter');
        },
        sent: (body) => JSON.stringify(body.tags) === JSON.stringify(['refund', 'shipping']),
      },
      {
        name: 'customer id',
        param: `customer=${sample.customerId}`,
        apply: async () => {
          await page.getByLabel('Customer id').fill(sample.customerId ?? '');
          await page.getByLabel('Customer id').press('Enter');
        },
        sent: (body) => body.customerId === sample.customerId,
      },
      {
        name: 'order id',
        param: `order=${sample.relatedOrders?.[0]}`,
        apply: async () => {
          await page.getByLabel('Order id').fill(sample.relatedOrders?.[0] ?? '');
          await page.getByLabel('Order id').press('Enter');
        },
        sent: (body) => body.orderId === sample.relatedOrders?.[0],
      },
      {
        name: 'created dates',
        param: `from=${fromDate}&to=${toDate}`,
        apply: async () => {
          await page.getByLabel('Created from').fill(fromDate);
          await page.getByLabel('Created to').fill(toDate);
        },
        sent: (body) =>
          Date.parse(body.dateFrom ?? '') === fromInstant && Date.parse(body.dateTo ?? '') === toInstant,
      },
    ];

    for (const filter of filters) {
      await page.goto(listUrl(sandbox));
      await expect(numberCells(page).first()).toBeVisible();

      const sent = nextSearch(page, filter.sent);
      await filter.apply();
      const body = searchBody(await sent);

      await expect(page, filter.name).toHaveURL(new RegExp(`[?&]${filter.param.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      const answer = await expectRowsLike(page, sandbox, body);
      expect(answer.totalHits, `${filter.name} narrows the results`).toBeLessThan(unfiltered.totalHits);
      expect(answer.totalHits, `${filter.name} leaves some results`).toBeGreaterThan(0);
    }

    // Every row shown under two tags carries both.
    await page.goto(listUrl(sandbox, '?tag=refund&tag=shipping'));
    const tagCells = casesTable(page).locator('tbody td.col-tags');
    await expect(tagCells.first()).toBeVisible();
    for (const cell of await tagCells.all()) {
      await expect(cell).toContainText('refund');
      await expect(cell).toContainText('shipping');
    }

    expectNoConsoleErrors();
  });

  test('list includes deleted cases on request', async ({ page, sandbox, expectNoConsoleErrors }) => {
    await openList(page, sandbox);
    const without = await sandboxSearch(sandbox, { page: 0, take: PAGE_SIZE });

    const sent = nextSearch(page, (body) => body.includeDeleted === true);
    await page.getByLabel('Include deleted cases').check();
    const body = searchBody(await sent);

    await expect(page).toHaveURL(/[?&]deleted=1/);
    const answer = await expectRowsLike(page, sandbox, body);
    expect(answer.totalHits).toBeGreaterThan(without.totalHits);
    expectNoConsoleErrors();
  });

  test('list sorts by all sixteen orders', async ({ page, sandbox, expectNoConsoleErrors }) => {
    // Many searches in one test: each loop step compares with the sandbox.
    test.slow();
    await openList(page, sandbox);

    const columns: [string, string, boolean][] = [
      ['Subject', 'Subject', true],
      ['Status', 'Status', true],
      ['Priority', 'Priority', true],
      ['Customer', 'CustomerName', true],
      ['Assignee', 'AssignedToName', true],
      ['Follow-up', 'FollowUpDate', true],
      ['Changed', 'Changed', false],
      ['Created', 'Created', false],
    ];
    const seen = new Set<string>();

    for (const [label, wireField, ascendingFirst] of columns) {
      for (const ascending of [ascendingFirst, !ascendingFirst]) {
        const sortOrder = `${wireField}${ascending ? 'Ascending' : 'Descending'}`;
        const sent = nextSearch(page, (body) => body.sortOrder === sortOrder);
        await page.getByRole('button', { name: label, exact: true }).click();
        await sent;

        const header = page.getByRole('columnheader', { name: label, exact: true });
        await expect(header, sortOrder).toHaveAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        if (sortOrder === 'CreatedDescending') {
          await expect(page).not.toHaveURL(/[?&]sort=/);
        } else {
          await expect(page).toHaveURL(new RegExp(`[?&]sort=${sortOrder}(&|$)`));
        }
        await expectRowsLike(page, sandbox, { sortOrder, page: 0, take: PAGE_SIZE });
        seen.add(sortOrder);
      }
    }

    expect(seen.size).toBe(16);
    expectNoConsoleErrors();
  });

  test('list marks overdue follow-ups', async ({ page, sandbox, expectNoConsoleErrors }) => {
    await openList(page, sandbox, '?sort=FollowUpDateAscending');
    const answer = await expectRowsLike(page, sandbox, { sortOrder: 'FollowUpDateAscending', page: 0, take: PAGE_SIZE });
    const cells = casesTable(page).locator('tbody td.col-follow-up');
    const now = Date.now();
    let overdue = 0;

    for (const [index, found] of answer.result.entries()) {
      const due = Date.parse(found.followUpDate ?? '');
      if (due < now && found.status !== 'Closed') {
        overdue += 1;
        await expect(cells.nth(index), `case ${found.caseNumber}`).toContainText('overdue');
      } else {
        await expect(cells.nth(index), `case ${found.caseNumber}`).not.toContainText('overdue');
      }
    }

    expect(overdue, 'the first page has overdue open cases').toBeGreaterThan(0);
    expectNoConsoleErrors();
  });

  test('list pages to the last page', async ({ page, sandbox, expectNoConsoleErrors }) => {
    await openList(page, sandbox);
    const first = await sandboxSearch(sandbox, { page: 0, take: PAGE_SIZE });
    const lastPage = Math.ceil(first.totalHits / PAGE_SIZE) - 1;

    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(page).toHaveURL(/[?&]page=2(&|$)/);
    await expectRowsLike(page, sandbox, { sortOrder: 'CreatedDescending', page: 1, take: PAGE_SIZE });

    await page.getByRole('button', { name: 'Last page' }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]page=${lastPage + 1}(&|$)`));
    const answer = await expectRowsLike(page, sandbox, { sortOrder: 'CreatedDescending', page: lastPage, take: PAGE_SIZE });
    const firstShown = lastPage * PAGE_SIZE + 1;
    await expect(page.getByText(`${firstShown}–${firstShown + answer.result.length - 1} of ${first.totalHits} cases`)).toBeVisible();
    await expect(page.getByText(`Page ${lastPage + 1} of ${lastPage + 1}`)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Next page' })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Last page' })).toBeDisabled();

    await page.getByLabel('Per page').selectOption('50');
    await expect(page).toHaveURL(/[?&]size=50(&|$)/);
    const firstIndex = lastPage * PAGE_SIZE;
    await expectRowsLike(page, sandbox, { sortOrder: 'CreatedDescending', page: Math.floor(firstIndex / 50), take: 50 });
    expectNoConsoleErrors();
  });

  test('list keeps its state in the URL', async ({ page, sandbox, expectNoConsoleErrors }) => {
    const query = '?q=order&priority=High&deleted=1&sort=SubjectAscending&page=2&size=10';
    await openList(page, sandbox, query);

    await expect(page.getByLabel('Search', { exact: true })).toHaveValue('order');
    await expect(page.getByLabel('Priority', { exact: true })).toHaveValue('High');
    await expect(page.getByLabel('Include deleted cases')).toBeChecked();
    await expect(page.getByLabel('Per page')).toHaveValue('10');
    await expect(page.getByLabel('Sort by')).toHaveValue('SubjectAscending');
    await expect(page.getByRole('columnheader', { name: 'Subject', exact: true })).toHaveAttribute('aria-sort', 'ascending');
    const original: SearchBody = {
      searchText: 'order',
      priority: 'High',
      includeDeleted: true,
      sortOrder: 'SubjectAscending',
      page: 1,
      take: 10,
    };
    const answer = await expectRowsLike(page, sandbox, original);
    expect(answer.totalHits, 'the query has a second page').toBeGreaterThan(10);
    await expect(page.getByText(/^Page 2 of /)).toBeVisible();

    // Changing a filter goes back to the first page and keeps sort and size.
    const sent = nextSearch(page, (body) => body.priority === 'Low');
    await page.getByLabel('Priority', { exact: true }).fill('Low');
    await page.getByLabel('Priority', { exact: true }).press('Enter');
    await sent;
    await expect(page).toHaveURL(listUrl(sandbox, '?q=order&priority=Low&deleted=1&sort=SubjectAscending&size=10'));
    await expectRowsLike(page, sandbox, { ...original, priority: 'Low', page: 0 });

    await page.goBack();
    await expect(page).toHaveURL(listUrl(sandbox, query));
    await expect(page.getByLabel('Priority', { exact: true })).toHaveValue('High');
    await expectRowsLike(page, sandbox, original);

    await page.goForward();
    await expect(page.getByLabel('Priority', { exact: true })).toHaveValue('Low');
    await expectRowsLike(page, sandbox, { ...original, priority: 'Low', page: 0 });

    await page.reload();
    await expect(page.getByLabel('Priority', { exact: true })).toHaveValue('Low');
    await expectRowsLike(page, sandbox, { ...original, priority: 'Low', page: 0 });
    expectNoConsoleErrors();
  });

  test('list ignores invalid URL values', async ({ page, sandbox, expectNoConsoleErrors }) => {
    await openList(page, sandbox, '?sort=Sideways&page=zero&size=1000&from=2026-02-30&deleted=maybe');

    await expectRowsLike(page, sandbox, { sortOrder: 'CreatedDescending', page: 0, take: PAGE_SIZE });
    await expect(page.getByLabel('Per page')).toHaveValue(String(PAGE_SIZE));
    await expect(page.getByLabel('Created from')).toHaveValue('');
    await expect(page.getByLabel('Include deleted cases')).not.toBeChecked();

    const notes = page.getByRole('status').filter({ hasText: 'were not used' }).getByRole('listitem');
    await expect(notes).toHaveText([
      /“sort=Sideways” is not a sort order/,
      /“size=1000” is not a page size from 1 to 100, so 20 cases/,
      /“from=2026-02-30” is not a date/,
      /“deleted=maybe” is neither 1 nor 0/,
      /“page=zero” is not a page number/,
    ]);

    // Changing the view writes a clean address, and the notes go with it.
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(page).toHaveURL(/\/cases\?page=2$/);
    await expect(notes).toHaveCount(0);
    expectNoConsoleErrors();
  });

  test('list offers to swap a reversed date range', async ({ page, sandbox, expectNoConsoleErrors }) => {
    await signIn(page, sandbox.appUrl, sandbox.tokens.admin);
    await page.goto(listUrl(sandbox, '?from=2026-03-10&to=2026-03-01'));

    const notice = page.getByRole('status').filter({ hasText: 'no case can match' });
    await expect(notice).toContainText('“Created from” date is after the “Created to” date');

    const swapped = nextSearch(page, (body) => Date.parse(body.dateFrom ?? '') < Date.parse(body.dateTo ?? ''));
    await notice.getByRole('button', { name: 'Swap the dates' }).click();
    await expect(page).toHaveURL(/\?from=2026-03-01&to=2026-03-10$/);
    const body = searchBody(await swapped);
    expect(Date.parse(body.dateFrom ?? '')).toBe(await localInstant(page, '2026-03-01', '00:00:00'));
    expect(Date.parse(body.dateTo ?? '')).toBe(await localInstant(page, '2026-03-10', '23:59:59.999'));
    await expect(page.getByLabel('Created from')).toHaveValue('2026-03-01');
    await expect(page.getByLabel('Created to')).toHaveValue('2026-03-10');
    await expect(notice).toHaveCount(0);
    expectNoConsoleErrors();
  });

  test('list sends one search per settled query', async ({ page, sandbox, expectNoConsoleErrors }) => {
    await openList(page, sandbox);
    await sandbox.setFaults([], [{ route: 'search', ms: 800 }]);
    const sentTexts: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (isSearch(request)) {
        sentTexts.push(searchBody(request).searchText);
      }
    });

    const sent = nextSearch(page, (body) => body.searchText === 'damaged');
    await page.getByLabel('Search', { exact: true }).pressSequentially('damaged', { delay: 40 });
    await sent;
    await expect(page.getByRole('progressbar', { name: 'Loading cases' })).toBeVisible();
    await expect(page.locator('.results')).toHaveAttribute('aria-busy', 'true');
    await expectRowsLike(page, sandbox, { searchText: 'damaged', sortOrder: 'CreatedDescending', page: 0, take: PAGE_SIZE });
    await expect(page.getByRole('progressbar', { name: 'Loading cases' })).toHaveCount(0);

    expect(sentTexts).toEqual(['damaged']);
    await expect(page).toHaveURL(/[?&]q=damaged(&|$)/);

    // One history entry for the settled query: Back returns to the unfiltered list.
    await page.goBack();
    await expect(page).toHaveURL(listUrl(sandbox));
    await expect(page.getByLabel('Search', { exact: true })).toHaveValue('');
    expectNoConsoleErrors();
  });

  test('list never shows rows of a replaced query', async ({ page, sandbox, expectNoConsoleErrors }) => {
    await openList(page, sandbox);
    const initial = caseNumbers(await sandboxSearch(sandbox, { sortOrder: 'CreatedDescending', page: 0, take: PAGE_SIZE }));
    const replaced = await sandboxSearch(sandbox, { searchText: 'refund', sortOrder: 'CreatedDescending', page: 0, take: PAGE_SIZE });
    const latest = await sandboxSearch(sandbox, { searchText: 'damaged', sortOrder: 'CreatedDescending', page: 0, take: PAGE_SIZE });
    const onlyReplaced = caseNumbers(replaced).filter(
      (number) => !initial.includes(number) && !caseNumbers(latest).includes(number),
    );
    expect(onlyReplaced.length, 'the replaced query has rows of its own').toBeGreaterThan(0);

    // Records every case number the table ever shows from here on.
    await page.evaluate(() => {
      const seen = new Set<string>();
      (window as unknown as { seenCaseNumbers: Set<string> }).seenCaseNumbers = seen;
      const record = () => {
        for (const cell of document.querySelectorAll('.cases-table tbody td.col-number')) {
          seen.add(cell.textContent ?? '');
        }
      };
      new MutationObserver(record).observe(document.body, { childList: true, subtree: true, characterData: true });
      record();
    });

    await sandbox.setFaults([], [{ route: 'search', ms: SLOW_SEARCH_MS }]);
    const firstSent = nextSearch(page, (body) => body.searchText === 'refund');
    await page.getByLabel('Search', { exact: true }).fill('refund');
    const first = await firstSent;
    const firstFailed = page.waitForEvent('requestfailed', (request) => request === first);

    const secondSent = nextSearch(page, (body) => body.searchText === 'damaged');
    await page.getByLabel('Search', { exact: true }).fill('damaged');
    await secondSent;

    const failed = await firstFailed;
    expect(failed.failure()?.errorText, 'the replaced request is aborted').toMatch(/ABORTED|cancel/i);
    await expect(numberCells(page)).toHaveText(caseNumbers(latest), { timeout: SLOW_SEARCH_MS * 4 });

    const seen = await page.evaluate(() => [...(window as unknown as { seenCaseNumbers: Set<string> }).seenCaseNumbers]);
    expect(seen.filter((number) => onlyReplaced.includes(number))).toEqual([]);
    expectNoConsoleErrors();
  });

  test('list shows an empty result with a way out', async ({ page, sandbox, expectNoConsoleErrors }) => {
    await openList(page, sandbox);

    await page.goto(listUrl(sandbox, '?q=no-such-case-anywhere&status=New'));
    await expect(page.getByText('No cases match the search text and filters.')).toBeVisible();
    await page.getByRole('status').getByRole('button', { name: 'Clear search and filters' }).click();

    await expect(page).toHaveURL(listUrl(sandbox));
    await expectRowsLike(page, sandbox, { sortOrder: 'CreatedDescending', page: 0, take: PAGE_SIZE });
    await expect(page.getByLabel('Search', { exact: true })).toHaveValue('');
    await expect(page.getByLabel('Status', { exact: true })).toHaveValue('');
    expectNoConsoleErrors();
  });

  test('list shows an error and retries', async ({ page, sandbox, consoleErrors, expectNoConsoleErrors }) => {
    consoleErrors.allow(/503/);
    await openList(page, sandbox);

    await sandbox.setFaults([{ route: 'search', status: 503, rate: 1 }]);
    await page.reload();
    const alert = page.getByRole('alert');
    // The client retries a 503 twice after the one-second Retry-After.
    await expect(alert).toContainText('HTTP 503', { timeout: 15_000 });
    await expect(casesTable(page)).toHaveCount(0);

    await sandbox.setFaults([]);
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expectRowsLike(page, sandbox, { sortOrder: 'CreatedDescending', page: 0, take: PAGE_SIZE });
    await expect(page.getByRole('alert')).toHaveCount(0);
    expectNoConsoleErrors();
  });

  test('list shows rate limiting with the wait', async ({ page, sandbox, consoleErrors, expectNoConsoleErrors }) => {
    consoleErrors.allow(/429/);
    await openList(page, sandbox);

    await sandbox.setFaults([{ route: 'search', status: 429, rate: 1 }]);
    await page.getByRole('button', { name: 'Subject', exact: true }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText(/Wait \d+ seconds?/, { timeout: 15_000 });

    await sandbox.setFaults([]);
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expectRowsLike(page, sandbox, { sortOrder: 'SubjectAscending', page: 0, take: PAGE_SIZE });
    expectNoConsoleErrors();
  });

  test('list keyboard shortcuts', async ({ page, sandbox, expectNoConsoleErrors }) => {
    await openList(page, sandbox);
    const answer = await sandboxSearch(sandbox, { sortOrder: 'CreatedDescending', page: 0, take: PAGE_SIZE });
    const rows = casesTable(page).locator('tbody tr');

    await page.keyboard.press('/');
    await expect(page.getByLabel('Search', { exact: true })).toBeFocused();

    // Letters typed in a field stay there.
    await page.keyboard.type('jk');
    await expect(page.getByLabel('Search', { exact: true })).toHaveValue('jk');
    await expect(rows.and(page.locator('[aria-current="true"]'))).toHaveCount(0);
    await page.getByLabel('Search', { exact: true }).fill('');
    // The emptied search reloads the rows, which clears a picked row, so
    // picking starts once the default rows are back.
    await expect(page).toHaveURL(/\/cases$/);
    await expect(numberCells(page)).toHaveText(caseNumbers(answer));

    await page.getByRole('heading', { name: 'Cases' }).click();
    await page.keyboard.press('j');
    await expect(rows.nth(0)).toHaveAttribute('aria-current', 'true');
    await page.keyboard.press('j');
    await expect(rows.nth(1)).toHaveAttribute('aria-current', 'true');
    await expect(rows.nth(0)).not.toHaveAttribute('aria-current', 'true');
    await expect(rows.nth(1).getByRole('link')).toBeFocused();
    await page.keyboard.press('k');
    await expect(rows.nth(0)).toHaveAttribute('aria-current', 'true');

    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('Select the next case');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);

    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new URL(`cases/${answer.result[0].id}`, sandbox.appUrl).toString());
    expectNoConsoleErrors();
  });

  test('list hides New case for read-only access', async ({ page, sandbox, expectNoConsoleErrors }) => {
    await openList(page, sandbox, '', sandbox.tokens.readOnly);

    await expect(page.getByRole('button', { name: 'Keyboard shortcuts' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'New case' })).toHaveCount(0);
    expectNoConsoleErrors();
  });

  test('list fits a narrow screen', async ({ page, sandbox, expectNoConsoleErrors }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await openList(page, sandbox);

    const firstRow = casesTable(page).locator('tbody tr').first();
    await expect(firstRow.getByRole('link')).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'horizontal overflow in pixels').toBeLessThanOrEqual(0);
    expectNoConsoleErrors();
  });
});

test.describe('list result window', () => {
  let sandbox: Sandbox;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    sandbox = await startSandbox({ ...SANDBOX_OPTIONS, args: ['--seed-count', '12000'] });
  });

  test.afterAll(async () => {
    await sandbox?.stop();
  });

  test('list stops at the result window', async ({ page, expectNoConsoleErrors }) => {
    await openList(page, sandbox, '?size=100');
    const first = await sandboxSearch(sandbox, { page: 0, take: 100 });
    expect(first.totalHits, 'more cases than the window').toBeGreaterThan(10_100);

    await expect(page.getByRole('status').filter({ hasText: 'Narrow the search' })).toBeVisible();
    await page.getByRole('button', { name: 'Last page' }).click();
    await expect(page).toHaveURL(/[?&]page=101(&|$)/);
    await expectRowsLike(page, sandbox, { sortOrder: 'CreatedDescending', page: 100, take: 100 });
    await expect(page.getByText(`10,001–10,100 of ${first.totalHits.toLocaleString('en-US')} cases`)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Next page' })).toBeDisabled();

    // A hand-made URL past the window lands on the last page the API serves.
    await page.goto(listUrl(sandbox, '?size=100&page=150'));
    await expectRowsLike(page, sandbox, { sortOrder: 'CreatedDescending', page: 100, take: 100 });
    await expect(page.getByRole('status').filter({ hasText: 'were not used' })).toContainText(
      '“page=150” is past the last page the API serves at 100 per page, so page 101 is shown.',
    );
    expectNoConsoleErrors();
  });
});
