/**
 * The create and edit forms against the sandbox: every field round-tripping
 * through the API, PATCH of changed fields only, PUT when clearing, the
 * conflict view, drafts, the unsaved-changes prompt, validation from the
 * browser and from the API, and access rules.
 */
import type { Page, Request } from '@playwright/test';

import { expect, startSandbox, test, type Sandbox } from './fixtures';
import { jsString, startServer } from './hosts';

/** The case fields the tests read, as the sandbox returns them. */
interface Case {
  id: string;
  caseNumber: string;
  subject: string;
  description?: string | null;
  status?: string | null;
  priority?: string | null;
  source?: string | null;
  assignedToUserId?: string | null;
  assignedToName?: string | null;
  customerId?: string | null;
  customerName?: string | null;
  customerEmail?: string | null;
  tags: string[];
  relatedOrders: string[];
  relatedCustomers: string[];
  relatedProjects: string[];
  relatedCarts: string[];
  relatedSkuIds: string[];
  relatedProductIds: string[];
  participants: { name?: string | null; email?: string | null; customerId?: string | null; role?: string | null }[];
  properties: { key?: string | null; keyGroup?: string | null; value?: string | null; valueType?: string | null }[];
  followUpDate?: string | null;
  caseNotes: unknown[];
  internalNotes: unknown[];
  changed: string;
}

/** The prefix of the form's draft keys in localStorage. */
const DRAFT_PREFIX = 'omnium-cases.draft.';

/** Calls the sandbox API with a token and returns the parsed body. */
async function api<T>(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(new URL(path, sandbox.url), {
    method,
    headers: {
      authorization: `Bearer ${sandbox.tokens.admin}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${method} ${path} failed with HTTP ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as T;
}

async function getCase(sandbox: Sandbox, id: string): Promise<Case> {
  return api<Case>(sandbox, 'GET', `/api/cases/${encodeURIComponent(id)}`);
}

/** Reads the newest seeded case matching a search. */
async function findCase(sandbox: Sandbox, filter: Record<string, unknown> = {}): Promise<Case> {
  const found = await api<{ result: Case[] }>(sandbox, 'POST', '/api/cases/search', {
    take: 1,
    sortOrder: 'CreatedDescending',
    ...filter,
  });
  expect(found.result.length, `a seeded case matching ${JSON.stringify(filter)}`).toBe(1);
  return getCase(sandbox, found.result[0].id);
}

/** Drops `changed` and turns missing optional fields into null, for comparing stored cases. */
function comparable(stored: Case): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...stored };
  delete copy.changed;
  for (const key of ['description', 'priority', 'source', 'assignedToUserId', 'assignedToName', 'customerId', 'customerName', 'customerEmail', 'followUpDate']) {
    copy[key] = copy[key] ?? null;
  }
  return copy;
}

/** Opens an app path through the sign-in page, which returns to it. */
async function openSignedIn(page: Page, sandbox: Sandbox, path: string, token = sandbox.tokens.admin): Promise<void> {
  await page.goto(new URL(`sign-in?next=${encodeURIComponent(path)}`, sandbox.appUrl).toString());
  await signInHere(page, token);
  await page.waitForURL((url) => url.pathname.endsWith(path));
}

/** Fills the sign-in form shown on the page (the page or the sign-in-again dialog). */
async function signInHere(page: Page, token: string): Promise<void> {
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function openEdit(page: Page, sandbox: Sandbox, stored: Case): Promise<void> {
  await openSignedIn(page, sandbox, `/cases/${stored.id}/edit`);
  await expect(page.getByRole('heading', { name: `Edit case ${stored.caseNumber}` })).toBeVisible();
  await expect(page.getByLabel('Subject')).toHaveValue(stored.subject);
}

/** Waits for the next API write and returns its method and body. */
function nextWrite(page: Page): Promise<Request> {
  return page.waitForRequest((request) => {
    const url = new URL(request.url());
    return url.pathname.startsWith('/api/cases') && !url.pathname.endsWith('/search') && request.method() !== 'GET';
  });
}

/** Adds an entry to a chip list by typing it and pressing Enter. */
async function addChip(page: Page, label: string, value: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(value);
  await input.press('Enter');
  await expect(page.getByRole('list', { name: `${label} added` }).getByText(value, { exact: true })).toBeVisible();
}

async function storedDraftKeys(page: Page): Promise<string[]> {
  return page.evaluate((prefix) => Object.keys(localStorage).filter((key) => key.startsWith(prefix)), DRAFT_PREFIX);
}

/** Returns the stored text of the draft under `key`. */
async function storedDraft(page: Page, key: string): Promise<string> {
  const text = await page.evaluate((draftKey) => localStorage.getItem(draftKey), key);
  expect(text, `draft ${key}`).not.toBeNull();
  return text!;
}

test.describe('in Oslo time', () => {
  // A zone away from UTC shows that the follow-up is entered in local time
  // and stored in UTC.
  test.use({ timezoneId: 'Europe/Oslo' });

  test('create stores every field', async ({ page, sandbox, expectNoConsoleErrors }) => {
    await openSignedIn(page, sandbox, '/cases/new');
    await expect(page.getByRole('heading', { name: 'New case' })).toBeVisible();

    await page.getByLabel('Subject').fill('Parcel never arrived');
    await page.getByLabel('Description').fill('Customer says the parcel\nnever arrived.');
    await page.getByLabel('Status').selectOption('In Progress');
    await page.getByLabel('Priority').selectOption('High');
    await page.getByLabel('Source').fill('Chat');
    await page.getByLabel('Follow-up').fill('2026-07-01T14:30');

    const assignee = page.getByRole('group', { name: 'Assignee' });
    await assignee.getByLabel('Assignee id').fill('agent-alan');
    await assignee.getByLabel('Assignee name').fill('Alan Turing');

    const customer = page.getByRole('group', { name: 'Customer', exact: true });
    await customer.getByLabel('Customer id').fill('CUST-100');
    await customer.getByLabel('Customer name').fill('Kari Nordmann');
    await customer.getByLabel('Customer email').fill('kari@example.com');

    await addChip(page, 'Tags', 'vip');
    // A comma adds the entry as Enter does.
    await page.getByLabel('Tags', { exact: true }).pressSequentially('shipping,');
    await expect(page.getByRole('list', { name: 'Tags added' }).getByText('shipping', { exact: true })).toBeVisible();
    await addChip(page, 'Related orders', 'ORD-1');
    await addChip(page, 'Related orders', 'ORD-2');
    await addChip(page, 'Related customers', 'CUST-200');
    await addChip(page, 'Related projects', 'PRJ-3');
    await addChip(page, 'Related carts', 'CART-4');
    await addChip(page, 'Related SKUs', 'SKU-5');
    await addChip(page, 'Related products', 'PROD-6');

    await page.getByRole('button', { name: 'Add participant' }).click();
    const participant = page.getByRole('group', { name: 'Participant 1' });
    await expect(participant.getByLabel('Name')).toBeFocused();
    await participant.getByLabel('Name').fill('Ola Nordmann');
    await participant.getByLabel('Email').fill('ola@example.com');
    await participant.getByLabel('Customer id').fill('CUST-101');
    await participant.getByLabel('Role').fill('Spouse');

    // A second row added and removed again leaves nothing behind.
    await page.getByRole('button', { name: 'Add participant' }).click();
    await page.getByRole('button', { name: 'Remove participant 2' }).click();
    await expect(page.getByRole('group', { name: 'Participant 2' })).toHaveCount(0);

    await page.getByRole('button', { name: 'Add property' }).click();
    const property = page.getByRole('group', { name: 'Property 1' });
    await property.getByLabel('Key', { exact: true }).fill('RefundAmount');
    await property.getByLabel('Key group').fill('Payment');
    await property.getByLabel('Value type').selectOption('Number');
    await property.getByLabel('Value', { exact: true }).fill('12.50');

    const posted = page.waitForResponse(
      (response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/cases',
    );
    await page.getByRole('button', { name: 'Create case' }).click();
    const created = (await (await posted).json()) as Case;

    await expect(page).toHaveURL(new RegExp(`/cases/${created.id}$`));

    const stored = await getCase(sandbox, created.id);
    expect(stored.subject).toBe('Parcel never arrived');
    expect(stored.description).toBe('Customer says the parcel\nnever arrived.');
    expect(stored.status).toBe('In Progress');
    expect(stored.priority).toBe('High');
    expect(stored.source).toBe('Chat');
    // 14:30 in Oslo in July (UTC+2) is 12:30 UTC.
    expect(new Date(stored.followUpDate!).toISOString()).toBe('2026-07-01T12:30:00.000Z');
    expect(stored.assignedToUserId).toBe('agent-alan');
    expect(stored.assignedToName).toBe('Alan Turing');
    expect(stored.customerId).toBe('CUST-100');
    expect(stored.customerName).toBe('Kari Nordmann');
    expect(stored.customerEmail).toBe('kari@example.com');
    expect(stored.tags).toEqual(['vip', 'shipping']);
    expect(stored.relatedOrders).toEqual(['ORD-1', 'ORD-2']);
    expect(stored.relatedCustomers).toEqual(['CUST-200']);
    expect(stored.relatedProjects).toEqual(['PRJ-3']);
    expect(stored.relatedCarts).toEqual(['CART-4']);
    expect(stored.relatedSkuIds).toEqual(['SKU-5']);
    expect(stored.relatedProductIds).toEqual(['PROD-6']);
    expect(stored.participants).toEqual([
      { name: 'Ola Nordmann', email: 'ola@example.com', customerId: 'CUST-101', role: 'Spouse' },
    ]);
    expect(stored.properties).toEqual([{ key: 'RefundAmount', keyGroup: 'Payment', value: '12.50', valueType: 'Number' }]);
    expect(await storedDraftKeys(page)).toEqual([]);
    expectNoConsoleErrors();
  });

  test('edit shows follow-up in local time', async ({ page, sandbox }) => {
    const stored = await findCase(sandbox);
    await api(sandbox, 'PATCH', '/api/cases', { id: stored.id, followUpDate: '2026-01-15T08:00:00Z' });

    await openEdit(page, sandbox, stored);

    // 08:00 UTC in January is 09:00 in Oslo (UTC+1).
    await expect(page.getByLabel('Follow-up')).toHaveValue('2026-01-15T09:00');
  });
});

test('edit of one field sends a patch', async ({ page, sandbox, expectNoConsoleErrors }) => {
  const before = await findCase(sandbox);
  await openEdit(page, sandbox, before);

  await page.getByLabel('Subject').fill(`${before.subject} (updated)`);
  await expect(page.locator('.save-note')).toBeHidden();

  const write = nextWrite(page);
  await page.getByRole('button', { name: 'Save changes' }).click();
  const request = await write;

  expect(request.method()).toBe('PATCH');
  expect(request.postDataJSON()).toEqual({ id: before.id, subject: `${before.subject} (updated)` });
  await expect(page).toHaveURL(new RegExp(`/cases/${before.id}$`));

  const after = await getCase(sandbox, before.id);
  expect(after.subject).toBe(`${before.subject} (updated)`);
  expect(after.changed).not.toBe(before.changed);
  expect({ ...comparable(after), subject: before.subject }).toEqual(comparable(before));
  expectNoConsoleErrors();
});

test('clearing the assignee sends a put', async ({ page, sandbox }) => {
  const before = await findCase(sandbox, { assignedToUserId: 'agent-ada' });
  await openEdit(page, sandbox, before);

  await page.getByLabel('Assignee id').fill('');
  await page.getByLabel('Assignee name').fill('');
  await expect(page.locator('.save-note')).toHaveText(
    'Clearing the assignee needs a full update; the case will be saved whole.',
  );

  const write = nextWrite(page);
  await page.getByRole('button', { name: 'Save changes' }).click();
  const request = await write;

  expect(request.method()).toBe('PUT');
  const body = request.postDataJSON() as Case;
  expect(body.id).toBe(before.id);
  expect(body.assignedToUserId ?? null).toBeNull();
  expect(body.subject).toBe(before.subject);
  await expect(page).toHaveURL(new RegExp(`/cases/${before.id}$`));

  const after = await getCase(sandbox, before.id);
  expect(after.assignedToUserId ?? null).toBeNull();
  expect(after.assignedToName ?? null).toBeNull();
  expect({ ...comparable(after), assignedToUserId: 'agent-ada', assignedToName: before.assignedToName }).toEqual(
    comparable(before),
  );
});

const conflictChoices = [
  { button: 'Keep all mine', subject: 'mine', priority: 'original' },
  { button: 'Take all theirs', subject: 'theirs', priority: 'theirs' },
  { button: 'Merge', subject: 'mine', priority: 'theirs' },
] as const;

for (const choice of conflictChoices) {
  test(`conflict: ${choice.button.toLowerCase()}`, async ({ page, sandbox }) => {
    const before = await findCase(sandbox, { priority: 'Low' });
    await openEdit(page, sandbox, before);

    await page.getByLabel('Subject').fill('Subject from the form');
    await api(sandbox, 'PATCH', '/api/cases', { id: before.id, subject: 'Subject from a colleague', priority: 'Critical' });

    await page.getByRole('button', { name: 'Save changes' }).click();

    const panel = page.getByRole('region', { name: 'Someone else changed this case' });
    await expect(panel).toBeVisible();
    await expect(panel.getByRole('heading', { name: 'Someone else changed this case' })).toBeFocused();
    await expect(panel.getByRole('group')).toHaveCount(3);

    const subject = panel.getByRole('group', { name: 'Subject' });
    await expect(subject).toContainText('Changed by you and on the server');
    await expect(subject.getByRole('radio', { name: 'Keep mine: Subject from the form' })).toBeChecked();
    await expect(subject.getByRole('radio', { name: 'Take theirs: Subject from a colleague' })).not.toBeChecked();

    const priority = panel.getByRole('group', { name: 'Priority' });
    await expect(priority).toContainText('Changed on the server');
    await expect(priority.getByRole('radio', { name: 'Keep mine: Low' })).not.toBeChecked();
    await expect(priority.getByRole('radio', { name: 'Take theirs: Critical' })).toBeChecked();

    await panel.getByRole('button', { name: choice.button }).click();
    await panel.getByRole('button', { name: 'Save with these choices' }).click();
    await expect(page).toHaveURL(new RegExp(`/cases/${before.id}$`));

    const after = await getCase(sandbox, before.id);
    expect(after.subject).toBe(choice.subject === 'mine' ? 'Subject from the form' : 'Subject from a colleague');
    expect(after.priority).toBe(choice.priority === 'original' ? 'Low' : 'Critical');
    expect(after.description ?? null).toBe(before.description ?? null);
  });
}

test('conflict choice per field', async ({ page, sandbox }) => {
  const before = await findCase(sandbox, { priority: 'Low' });
  await openEdit(page, sandbox, before);

  await page.getByLabel('Subject').fill('Subject from the form');
  await api(sandbox, 'PATCH', '/api/cases', { id: before.id, subject: 'Subject from a colleague', priority: 'Critical' });
  await page.getByRole('button', { name: 'Save changes' }).click();

  const panel = page.getByRole('region', { name: 'Someone else changed this case' });
  await panel.getByRole('group', { name: 'Subject' }).getByRole('radio', { name: /Take theirs/ }).check();
  await panel.getByRole('group', { name: 'Priority' }).getByRole('radio', { name: /Keep mine/ }).check();
  await panel.getByRole('button', { name: 'Save with these choices' }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${before.id}$`));

  const after = await getCase(sandbox, before.id);
  expect(after.subject).toBe('Subject from a colleague');
  expect(after.priority).toBe('Low');
});

test('draft survives reload and failed save', async ({ page, sandbox, consoleErrors }) => {
  consoleErrors.allow(/500/);
  page.on('dialog', (dialog) => dialog.accept());
  const before = await findCase(sandbox);
  const path = `/cases/${before.id}/edit`;
  await openEdit(page, sandbox, before);

  await page.getByLabel('Subject').fill('Drafted subject');
  await addChip(page, 'Tags', 'drafted-tag');
  await expect.poll(() => storedDraftKeys(page)).toHaveLength(1);

  const storage = await page.evaluate(() => JSON.stringify(localStorage));
  expect(storage).not.toContain(sandbox.tokens.admin);

  // The token lives in memory only, so a reload asks for it again.
  await page.reload();
  await signInHere(page, sandbox.tokens.admin);
  await page.waitForURL((url) => url.pathname.endsWith(path));

  await expect(page.getByText(/^Restored your unsaved draft from /)).toBeVisible();
  await expect(page.getByLabel('Subject')).toHaveValue('Drafted subject');
  await expect(page.getByRole('list', { name: 'Tags added' }).getByText('drafted-tag', { exact: true })).toBeVisible();

  await sandbox.setFaults([{ route: 'patch', status: 500, rate: 1 }]);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert')).toContainText('The Omnium API failed (HTTP 500)');
  await expect(page.getByLabel('Subject')).toHaveValue('Drafted subject');
  expect((await getCase(sandbox, before.id)).subject).toBe(before.subject);

  await page.reload();
  await signInHere(page, sandbox.tokens.admin);
  await page.waitForURL((url) => url.pathname.endsWith(path));
  await expect(page.getByText(/^Restored your unsaved draft from /)).toBeVisible();
  await expect(page.getByLabel('Subject')).toHaveValue('Drafted subject');

  await sandbox.setFaults([]);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${before.id}$`));

  const after = await getCase(sandbox, before.id);
  expect(after.subject).toBe('Drafted subject');
  expect(after.tags).toContain('drafted-tag');
  expect(await storedDraftKeys(page)).toEqual([]);
});

/** Returns the ids of the cases whose text contains `text`. */
async function caseIdsMatching(sandbox: Sandbox, text: string): Promise<string[]> {
  const found = await api<{ result: Case[] }>(sandbox, 'POST', '/api/cases/search', { searchText: text, take: 100 });
  return found.result.map((stored) => stored.id);
}

/**
 * Lets the next create reach the sandbox, then drops its response, as a
 * broken connection does after the server has written the case.
 */
async function loseNextCreateResponse(page: Page): Promise<void> {
  await page.route(
    (url) => url.pathname === '/api/cases',
    async (route) => {
      if (route.request().method() !== 'POST') {
        await route.fallback();
        return;
      }
      await route.fetch();
      await route.abort('connectionreset');
    },
    { times: 1 },
  );
}

/**
 * Opens the new-case form, fills the subject and saves once with the
 * response lost, then checks that the sandbox stored that one case.
 */
async function createWithLostResponse(page: Page, sandbox: Sandbox, subject: string): Promise<void> {
  await openSignedIn(page, sandbox, '/cases/new');
  await page.getByLabel('Subject').fill(subject);

  await loseNextCreateResponse(page);
  await page.getByRole('button', { name: 'Create case' }).click();
  await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
  expect(await caseIdsMatching(sandbox, subject)).toHaveLength(1);
}

test('lost create response makes one case', async ({ page, sandbox, consoleErrors, expectNoConsoleErrors }) => {
  consoleErrors.allow(/ERR_CONNECTION_RESET|409/);
  const subject = 'Created once despite a lost response';
  await createWithLostResponse(page, sandbox, subject);

  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(subject);

  const ids = await caseIdsMatching(sandbox, subject);
  expect(ids).toHaveLength(1);
  await expect(page).toHaveURL(new RegExp(`/cases/${ids[0]}$`));
  expect(await storedDraftKeys(page)).toEqual([]);
  expectNoConsoleErrors();
});

test('lost create response survives reload', async ({ page, sandbox, consoleErrors }) => {
  consoleErrors.allow(/ERR_CONNECTION_RESET|409/);
  const subject = 'Created once across a reload';
  await createWithLostResponse(page, sandbox, subject);

  // The token lives in memory only, so after a reload the agent signs in again.
  await page.reload();
  await signInHere(page, sandbox.tokens.admin);
  await page.waitForURL((url) => url.pathname.endsWith('/cases/new'));
  await expect(page.getByLabel('Subject')).toHaveValue(subject);
  await page.getByRole('button', { name: 'Create case' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(subject);
  const ids = await caseIdsMatching(sandbox, subject);
  expect(ids).toHaveLength(1);
  await expect(page).toHaveURL(new RegExp(`/cases/${ids[0]}$`));
});

test('failed save focuses the error', async ({ page, sandbox, consoleErrors }) => {
  consoleErrors.allow(/500/);
  const before = await findCase(sandbox);
  await openEdit(page, sandbox, before);
  await page.getByLabel('Subject').fill('Saved with the keyboard');

  await sandbox.setFaults([{ route: 'patch', status: 500, rate: 1, count: 1 }]);
  await page.getByLabel('Subject').press('Control+Enter');
  const failure = page.getByRole('alert');
  await expect(failure).toContainText('The Omnium API failed (HTTP 500)');
  await expect(failure).toBeFocused();

  // Focus stays inside the form, so the shortcut saves again.
  await page.keyboard.press('Control+Enter');
  await expect(page).toHaveURL(new RegExp(`/cases/${before.id}$`));
  expect((await getCase(sandbox, before.id)).subject).toBe('Saved with the keyboard');
});

test('discarding a draft restores the case', async ({ page, sandbox }) => {
  page.on('dialog', (dialog) => dialog.accept());
  const before = await findCase(sandbox);
  const path = `/cases/${before.id}/edit`;
  await openEdit(page, sandbox, before);
  await page.getByLabel('Subject').fill('Drafted subject');
  await expect.poll(() => storedDraftKeys(page)).toHaveLength(1);

  await page.reload();
  await signInHere(page, sandbox.tokens.admin);
  await page.waitForURL((url) => url.pathname.endsWith(path));
  await page.getByRole('button', { name: 'Discard draft' }).click();

  await expect(page.getByLabel('Subject')).toHaveValue(before.subject);
  await expect(page.getByText(/^Restored your unsaved draft/)).toHaveCount(0);
  await expect.poll(() => storedDraftKeys(page)).toEqual([]);
});

test('sign-in again keeps the form', async ({ page, sandbox }) => {
  const before = await findCase(sandbox);
  await openEdit(page, sandbox, before);
  await page.getByLabel('Subject').fill('Written before the token lapsed');

  // The API turns the token down once, as it does when a token expires.
  let rejected = false;
  await page.route('**/api/cases', async (route) => {
    if (route.request().method() === 'PATCH' && !rejected) {
      rejected = true;
      await route.fulfill({ status: 401, contentType: 'application/json', body: '{"title":"Unauthorized"}' });
      return;
    }
    await route.fallback();
  });

  await page.getByRole('button', { name: 'Save changes' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign in again' });
  await expect(dialog).toBeVisible();
  // The failed save leaves focus in the dialog, not on the form's alert.
  await expect(dialog.getByLabel('Access token')).toBeFocused();
  await signInHere(page, sandbox.tokens.admin);
  await expect(dialog).toBeHidden();

  // A rejected token is not a sign-out, so the draft stays in the browser.
  const keys = await storedDraftKeys(page);
  expect(keys).toHaveLength(1);
  expect(await storedDraft(page, keys[0])).toContain('Written before the token lapsed');

  await expect(page.getByLabel('Subject')).toHaveValue('Written before the token lapsed');
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${before.id}$`));
  expect((await getCase(sandbox, before.id)).subject).toBe('Written before the token lapsed');
});

test("sign-out removes the agent's drafts", async ({ page, sandbox }) => {
  const before = await findCase(sandbox);
  const path = `/cases/${before.id}/edit`;
  await openEdit(page, sandbox, before);
  await page.getByLabel('Subject').fill('Unsent text for this agent only');
  await expect.poll(() => storedDraftKeys(page)).toHaveLength(1);

  // The same agent's new-case draft goes too, but a colleague's draft stays.
  const [editKey] = await storedDraftKeys(page);
  const user = editKey.slice(DRAFT_PREFIX.length, editKey.indexOf('.case.'));
  const newCaseKey = `${DRAFT_PREFIX}${user}.new`;
  const colleagueKey = `${DRAFT_PREFIX}agent-grace.case.${before.id}`;
  const draftText = await storedDraft(page, editKey);
  await page.evaluate(
    ([keys, text]) => keys.forEach((key) => localStorage.setItem(key, text)),
    [[newCaseKey, colleagueKey], draftText] as const,
  );

  // Signing out requests a confirmation first, counting this agent's two drafts only.
  const signOut = page.getByRole('banner').getByRole('button', { name: 'Sign out' });
  const confirm = page.getByRole('dialog', { name: 'Sign out and delete drafts?' });
  await signOut.click();
  await expect(confirm).toContainText('You have 2 unsent drafts (forms and notes) in this browser.');
  await expect(confirm.getByRole('button', { name: 'Stay signed in' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Stay signed in' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByLabel('Subject')).toHaveValue('Unsent text for this agent only');
  expect((await storedDraftKeys(page)).sort()).toEqual([colleagueKey, editKey, newCaseKey].sort());

  await signOut.click();
  await confirm.getByRole('button', { name: 'Sign out and delete' }).click();
  await expect(page).toHaveURL(/\/sign-in\?next=/);

  expect(await storedDraftKeys(page)).toEqual([colleagueKey]);

  await signInHere(page, sandbox.tokens.admin);
  await page.waitForURL((url) => url.pathname.endsWith(path));
  await expect(page.getByLabel('Subject')).toHaveValue(before.subject);
  await expect(page.getByText(/^Restored your unsaved draft/)).toHaveCount(0);
  expect(await storedDraftKeys(page)).toEqual([colleagueKey]);
});

test('unsaved edits ask before in-app navigation', async ({ page, sandbox }) => {
  const before = await findCase(sandbox);
  await openEdit(page, sandbox, before);
  const editUrl = page.url();

  const questions: string[] = [];
  let answer = false;
  page.on('dialog', async (dialog) => {
    questions.push(dialog.message());
    await (answer ? dialog.accept() : dialog.dismiss());
  });

  // A clean form leaves without asking.
  await page.getByRole('link', { name: 'Back to the case' }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${before.id}$`));
  expect(questions).toEqual([]);
  await page.goBack();
  await expect(page.getByLabel('Subject')).toHaveValue(before.subject);

  await page.getByLabel('Subject').fill('Edited, not saved');
  await page.getByRole('banner').getByRole('link', { name: 'Cases', exact: true }).click();
  await expect.poll(() => questions.length).toBe(1);
  expect(questions[0]).toContain('You have unsaved changes');
  await expect(page).toHaveURL(editUrl);
  await expect(page.getByLabel('Subject')).toHaveValue('Edited, not saved');

  answer = true;
  await page.getByRole('link', { name: 'Back to the case' }).click();
  await expect.poll(() => questions.length).toBe(2);
  await expect(page).toHaveURL(new RegExp(`/cases/${before.id}$`));
  expect((await getCase(sandbox, before.id)).subject).toBe(before.subject);
});

test('unsaved edits ask before going back', async ({ page, sandbox }) => {
  const before = await findCase(sandbox);
  await openSignedIn(page, sandbox, `/cases/${before.id}`);
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page.getByLabel('Subject')).toHaveValue(before.subject);
  const editUrl = page.url();

  const questions: string[] = [];
  let answer = false;
  page.on('dialog', async (dialog) => {
    questions.push(dialog.message());
    await (answer ? dialog.accept() : dialog.dismiss());
  });

  await page.getByLabel('Subject').fill('Edited, not saved');
  await page.evaluate(() => history.back());
  await expect.poll(() => questions.length).toBe(1);
  await expect(page).toHaveURL(editUrl);
  await expect(page.getByLabel('Subject')).toHaveValue('Edited, not saved');

  answer = true;
  await page.evaluate(() => history.back());
  await expect.poll(() => questions.length).toBe(2);
  await expect(page).toHaveURL(new RegExp(`/cases/${before.id}$`));
});

test('keyboard saves and cancels', async ({ page, sandbox }) => {
  const before = await findCase(sandbox);
  await openEdit(page, sandbox, before);

  const questions: string[] = [];
  page.on('dialog', async (dialog) => {
    questions.push(dialog.message());
    await dialog.dismiss();
  });

  await page.getByLabel('Subject').fill('Saved by keyboard');
  await page.getByLabel('Subject').press('Escape');
  await expect.poll(() => questions.length).toBe(1);
  expect(questions[0]).toContain('Discard your changes?');
  await expect(page.getByLabel('Subject')).toHaveValue('Saved by keyboard');

  const write = nextWrite(page);
  await page.getByLabel('Subject').press('Control+Enter');
  expect((await write).method()).toBe('PATCH');
  await expect(page).toHaveURL(new RegExp(`/cases/${before.id}$`));
  expect((await getCase(sandbox, before.id)).subject).toBe('Saved by keyboard');
});

test('browser validation marks each field', async ({ page, sandbox }) => {
  const writes: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/cases') {
      writes.push(request.url());
    }
  });
  await openSignedIn(page, sandbox, '/cases/new');

  await page.getByRole('button', { name: 'Create case' }).click();
  const subject = page.getByLabel('Subject');
  await expect(subject).toBeFocused();
  await expect(subject).toHaveAttribute('aria-invalid', 'true');
  await expect(subject).toHaveAccessibleDescription('Subject is required. Enter a short summary of the case.');
  await expect(page.getByRole('alert')).toContainText('1 field needs attention');

  // The message goes as soon as the field is fixed.
  await subject.fill('Parcel never arrived');
  await expect(subject).not.toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Customer email').fill('kari@');
  await addChip(page, 'Tags', 'vip');
  await page.getByLabel('Tags', { exact: true }).fill('VIP');
  await page.getByLabel('Tags', { exact: true }).press('Enter');
  await expect(page.getByLabel('Tags', { exact: true })).toHaveAccessibleDescription(
    /Tags: “VIP” is already in the list\. Enter a different tag\./,
  );

  await page.getByRole('button', { name: 'Add participant' }).click();
  await page.getByRole('group', { name: 'Participant 1' }).getByLabel('Email').fill('not an address');

  const properties = [
    ['Number', 'ten'],
    ['Boolean', 'yes'],
    ['DateTime', 'next week'],
  ];
  for (const [index, [valueType, value]] of properties.entries()) {
    await page.getByRole('button', { name: 'Add property' }).click();
    const row = page.getByRole('group', { name: `Property ${index + 1}` });
    await row.getByLabel('Key', { exact: true }).fill(`Key${index + 1}`);
    await row.getByLabel('Value type').selectOption(valueType);
    await row.getByLabel('Value', { exact: true }).fill(value);
  }

  // A half-typed date: month and day without a year.
  await page.getByLabel('Follow-up').click();
  await page.getByLabel('Follow-up').pressSequentially('0315');

  await page.getByRole('button', { name: 'Create case' }).click();

  // The refused duplicate tag stays in its field and is not part of the case,
  // so six fields block saving.
  await expect(page.getByRole('alert')).toContainText('6 fields need attention');
  await expect(page.getByLabel('Follow-up')).toBeFocused();
  await expect(page.getByLabel('Follow-up')).toHaveAccessibleDescription(
    /Follow-up is not a complete date and time\. Fill in the date and the time, or clear the field\./,
  );
  await expect(page.getByLabel('Customer email')).toHaveAccessibleDescription(
    'Customer email “kari@” is not a valid email address. Enter an address such as name@example.com, or leave the field empty.',
  );
  await expect(page.getByRole('group', { name: 'Participant 1' }).getByLabel('Email')).toHaveAccessibleDescription(
    /^Participant 1 email “not an address” is not a valid email address\./,
  );
  const valueMessages = [
    'Property 1 value “ten” is not a number. Enter digits with a dot for decimals, such as 12.50.',
    'Property 2 value “yes” is not true or false. Enter true or false.',
    'Property 3 value “next week” is not a date and time. Enter one such as 2026-03-01T09:15:00Z.',
  ];
  for (const [index, message] of valueMessages.entries()) {
    const value = page.getByRole('group', { name: `Property ${index + 1}` }).getByLabel('Value', { exact: true });
    await expect(value).toHaveAttribute('aria-invalid', 'true');
    await expect(value).toHaveAccessibleDescription(message);
  }

  await page.getByRole('button', { name: 'Clear follow-up' }).click();
  await expect(page.getByLabel('Follow-up')).not.toHaveAttribute('aria-invalid', 'true');
  expect(writes).toEqual([]);
});

test('duplicate tags from a draft are flagged', async ({ page, sandbox }) => {
  await openSignedIn(page, sandbox, '/cases');
  // A draft written by another tab or an earlier version can hold duplicates
  // that the chip field itself would refuse.
  await page.evaluate((prefix) => {
    const draft = {
      format: 1,
      values: { subject: 'Parcel never arrived', tags: ['vip', 'VIP'] },
      baseline: {},
      openedChanged: null,
      savedAt: new Date().toISOString(),
    };
    localStorage.setItem(`${prefix}agent-ada.new`, JSON.stringify(draft));
  }, DRAFT_PREFIX);
  await page.getByRole('link', { name: 'New case' }).click();

  await expect(page.getByText(/^Restored your unsaved draft from /)).toBeVisible();
  await page.getByRole('button', { name: 'Create case' }).click();

  await expect(page.getByLabel('Tags', { exact: true })).toHaveAccessibleDescription(
    /Tags: “VIP” is listed more than once\. Remove the duplicate\./,
  );
  await expect(page.getByLabel('Tags', { exact: true })).toBeFocused();
});

test('api validation lands on the status field', async ({ page }) => {
  // The app offers a status the API does not know, so the API rejects it.
  const sandbox = await startSandbox({
    configOverride: { statuses: ['New', 'In Progress', 'Escalated', 'Resolved', 'Closed'] },
  });
  try {
    await openSignedIn(page, sandbox, '/cases/new');
    await page.getByLabel('Subject').fill('Parcel never arrived');
    await page.getByLabel('Status').selectOption('Escalated');

    const answered = page.waitForResponse((response) => response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Create case' }).click();
    expect((await answered).status()).toBe(400);

    const status = page.getByLabel('Status');
    await expect(status).toBeFocused();
    await expect(status).toHaveAttribute('aria-invalid', 'true');
    await expect(status).toHaveAccessibleDescription(/^Status: Unknown status 'Escalated'\..* Correct it and save again\.$/);
    await expect(page.getByRole('alert')).toContainText('Omnium rejected the case as invalid');
    await expect(page.getByLabel('Subject')).toHaveValue('Parcel never arrived');

    await status.selectOption('New');
    await expect(status).not.toHaveAttribute('aria-invalid', 'true');
  } finally {
    await sandbox.stop();
  }
});

test('api errors for rows land on the row', async ({ page, sandbox }) => {
  await openSignedIn(page, sandbox, '/cases/new');
  await page.getByLabel('Subject').fill('Parcel never arrived');
  await page.getByRole('button', { name: 'Add participant' }).click();
  await page.getByRole('button', { name: 'Add participant' }).click();
  await page.getByRole('group', { name: 'Participant 2' }).getByLabel('Email').fill('ola@example.com');

  // The sandbox accepts what the browser accepts, so a stricter Omnium
  // tenant is stood in for by answering this one request with a 400.
  await page.route('**/api/cases', async (route) => {
    await route.fulfill({
      status: 400,
      contentType: 'application/problem+json',
      body: JSON.stringify({
        title: 'One or more validation errors occurred.',
        status: 400,
        errors: { 'Participants[0].Email': ['The domain does not accept mail.'] },
      }),
    });
  });
  await page.getByRole('button', { name: 'Create case' }).click();

  // The first participant row was blank and not sent, so index 0 is row 2.
  const email = page.getByRole('group', { name: 'Participant 2' }).getByLabel('Email');
  await expect(email).toBeFocused();
  await expect(email).toHaveAccessibleDescription(
    'Participant 2 email: The domain does not accept mail. Correct it and save again.',
  );
  await expect(page.getByLabel('Subject')).toHaveValue('Parcel never arrived');
});

test('read-only token is told it needs case-admin access', async ({ page, sandbox }) => {
  await openSignedIn(page, sandbox, '/cases/new', sandbox.tokens.readOnly);

  await expect(page.getByRole('heading', { name: 'Case-admin access needed' })).toBeVisible();
  await expect(page.getByText(/needs case-admin access/)).toBeVisible();
  await expect(page.getByLabel('Subject')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Create case' })).toHaveCount(0);
});

/** Builds a portal page that mounts the app and records its case-changed events. */
function portalPage(sandboxUrl: string, token: string): string {
  return `<!DOCTYPE html><html><head><title>Portal</title></head><body>
<div id="cases"></div>
<script type="module">
  import { mount } from ${jsString(`${sandboxUrl}/embed.js`)};
  window.changes = [];
  const element = document.getElementById('cases');
  element.addEventListener('omnium-cases:case-changed', (event) => window.changes.push(event.detail));
  window.app = await mount(element, {
    apiBaseUrl: ${jsString(sandboxUrl)},
    basePath: '/portal/cases',
    tokenSource: { kind: 'host' },
  });
  window.app.setToken(${jsString(token)});
</script></body></html>`;
}

test('embedded forms announce create and edit', async ({ page, consoleErrors, expectNoConsoleErrors }) => {
  // The test portal has no favicon.
  consoleErrors.allow(/favicon\.ico/);
  let html = '';
  const portal = await startServer((request) =>
    request.url?.startsWith('/portal') ? { headers: { 'content-type': 'text/html' }, body: html } : undefined,
  );
  const sandbox = await startSandbox({ args: ['--allow-origin', portal.origin] });
  try {
    html = portalPage(sandbox.url, sandbox.tokens.admin);
    await page.goto(`${portal.origin}/portal/cases/cases/new`);
    const app = page.locator('#cases');
    const changes = () => page.evaluate(() => (window as unknown as { changes: unknown[] }).changes);

    await app.getByLabel('Subject').fill('Created inside the portal');
    await app.getByLabel('Tags', { exact: true }).fill('portal');
    await app.getByLabel('Tags', { exact: true }).press('Enter');
    await app.getByRole('button', { name: 'Create case' }).click();
    // The form's own address also ends in a segment, so `new` is excluded.
    await expect(page).toHaveURL(/\/portal\/cases\/cases\/(?!new$)[^/]+$/);

    const id = new URL(page.url()).pathname.split('/').pop()!;
    const created = await getCase(sandbox, id);
    expect(created.tags).toEqual(['portal']);
    expect(await changes()).toEqual([{ id, caseNumber: created.caseNumber, action: 'create' }]);

    await app.getByRole('link', { name: 'Edit', exact: true }).click();
    await expect(app.getByLabel('Subject')).toHaveValue('Created inside the portal');

    // In-app links inside the shadow root are guarded too.
    let asked = 0;
    page.on('dialog', async (dialog) => {
      asked += 1;
      await dialog.dismiss();
    });
    await app.getByLabel('Subject').fill('Edited inside the portal');
    await app.getByRole('link', { name: 'Back to the case' }).click();
    await expect.poll(() => asked).toBe(1);
    await expect(page).toHaveURL(new RegExp(`/portal/cases/cases/${id}/edit$`));

    await app.getByRole('button', { name: 'Save changes' }).click();
    await expect(page).toHaveURL(new RegExp(`/portal/cases/cases/${id}$`));

    expect((await getCase(sandbox, id)).subject).toBe('Edited inside the portal');
    expect(await changes()).toEqual([
      { id, caseNumber: created.caseNumber, action: 'create' },
      { id, caseNumber: created.caseNumber, action: 'edit' },
    ]);
    expectNoConsoleErrors();
  } finally {
    await sandbox.stop();
    await portal.close();
  }
});
