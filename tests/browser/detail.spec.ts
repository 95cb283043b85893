/**
 * The case detail page against the sandbox: every field of a case, text that
 * looks like HTML, the status timeline, each admin action round-tripping
 * through the API, access rules and failures.
 */
import type { Page, Request } from '@playwright/test';

import { expect, startSandbox, test, type Sandbox } from './fixtures';
import { jsString, startServer } from './hosts';

// Property dates are shown in the browser's time zone; UTC makes the
// expected text computable here.
test.use({ timezoneId: 'UTC' });

/** The case fields the tests read, as the sandbox returns them. */
interface Note {
  id?: string;
  created?: string;
  creator?: string;
  userId?: string;
  title?: string;
  detail?: string;
  type?: string;
  tags?: string[];
}

interface Case {
  id: string;
  caseNumber: string;
  subject: string;
  description?: string;
  status: string;
  priority?: string;
  source?: string;
  assignedToUserId?: string;
  assignedToName?: string;
  customerId?: string;
  customerName?: string;
  customerEmail?: string;
  tags: string[];
  relatedOrders: string[];
  relatedCustomers: string[];
  relatedProjects: string[];
  relatedCarts: string[];
  relatedSkuIds: string[];
  relatedProductIds: string[];
  participants: { name?: string; email?: string; customerId?: string; role?: string }[];
  caseNotes: Note[];
  internalNotes: Note[];
  properties: { key?: string; keyGroup?: string; value?: string; valueType?: string }[];
  caseStatusLog: { status: string; timestamp: string; durationSincePreviousMs: number | null }[];
  followUpDate?: string | null;
  resolvedDate?: string | null;
  closedDate?: string | null;
  lastCommentDate?: string | null;
  lastCommenterName?: string | null;
  commentCount: number;
  created: string;
  changed: string;
  marketId?: string;
  marketGroupId?: string;
}

/** Calls the sandbox API with a token. */
async function api(sandbox: Sandbox, method: string, path: string, body?: unknown, token = sandbox.tokens.admin) {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

async function getCase(sandbox: Sandbox, id: string): Promise<Case> {
  const { status, json } = await api(sandbox, 'GET', `/api/cases/${encodeURIComponent(id)}`);
  expect(status, `GET case ${id}`).toBe(200);
  return json as Case;
}

/** Returns every live seeded case. */
async function allCases(sandbox: Sandbox): Promise<Case[]> {
  const cases: Case[] = [];
  for (let page = 0; ; page++) {
    const { status, json } = await api(sandbox, 'POST', '/api/cases/search', { take: 100, page });
    expect(status, 'search').toBe(200);
    cases.push(...json.result);
    if (json.result.length < 100) {
      return cases;
    }
  }
}

/** Returns the first seeded case that `matches`, read fresh with GET. */
async function findCase(sandbox: Sandbox, matches: (c: Case) => boolean): Promise<Case> {
  const found = (await allCases(sandbox)).find(matches);
  expect(found, 'a seeded case that fits the test').toBeDefined();
  return getCase(sandbox, found!.id);
}

/**
 * Opens a case page and signs in on the way. The app keeps tokens in
 * memory, so signing in first and then loading another URL would lose it.
 */
async function openCase(page: Page, appUrl: string, token: string, id: string): Promise<void> {
  const path = `cases/${encodeURIComponent(id)}`;
  await page.goto(new URL(path, appUrl).toString());
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname.endsWith(`/${path}`));
}

/** Same output as the app's `format_duration_ms`: the two largest units. */
function formatDuration(milliseconds: number): string {
  const total = Math.floor(Math.max(0, milliseconds) / 1000);
  const units: [number, string][] = [
    [Math.floor(total / 86_400), 'day'],
    [Math.floor(total / 3600) % 24, 'h'],
    [Math.floor(total / 60) % 60, 'min'],
    [total % 60, 's'],
  ];
  const first = units.findIndex(([value]) => value > 0);
  if (first < 0) {
    return '0 s';
  }
  const unitText = ([value, unit]: [number, string]): string => {
    if (unit !== 'day') {
      return `${value} ${unit}`;
    }
    return value === 1 ? '1 day' : `${value} days`;
  };
  return units
    .slice(first, first + 2)
    .filter(([value]) => value > 0)
    .map(unitText)
    .join(' ');
}

/** Milliseconds since the epoch of a .NET timestamp with up to 9 fractional digits. */
function epochMs(text: string): number {
  return Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
}

/** Returns a property value as the page shows it, in UTC. */
function shownPropertyValue(value: string, valueType: string): string {
  switch (valueType) {
    case 'DateTime':
      return value.slice(0, 16).replace('T', ' ');
    case 'Boolean':
      return value.toLowerCase() === 'true' ? 'Yes' : 'No';
    case 'Number':
      return value.replace(/^(-?)(\d+)/, (_, sign: string, digits: string) => sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
    default:
      return value;
  }
}

const adminButtons = ['Assign…', 'Change status…', 'Change priority…', 'Delete…'];

test('detail shows every field of a seeded case', async ({ page, sandbox, expectNoConsoleErrors }) => {
  const rich = (await allCases(sandbox)).filter(
    (c) =>
      c.caseNotes.length > 0 &&
      c.internalNotes.length > 0 &&
      c.properties.length >= 3 &&
      c.tags.length > 0 &&
      c.participants.length > 0 &&
      c.relatedSkuIds.length > 0 &&
      c.caseStatusLog.length >= 2 &&
      !!c.assignedToName,
  );
  // One with a follow-up date as well, when the seed has one.
  const pick = rich.find((c) => !!c.followUpDate) ?? rich[0];
  expect(pick, 'a seeded case with every kind of field').toBeDefined();
  const seeded = await getCase(sandbox, pick.id);

  await openCase(page, sandbox.appUrl, sandbox.tokens.admin, seeded.id);

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(seeded.subject);
  await expect(page.locator('.case-number')).toHaveText(`Case ${seeded.caseNumber}`);

  const description = page.locator('.case-description');
  expect(await description.evaluate((element) => element.textContent)).toBe(seeded.description);
  expect(await description.evaluate((element) => getComputedStyle(element).whiteSpace)).toBe('pre-wrap');

  const details = page.getByRole('region', { name: 'Details' });
  for (const value of [
    seeded.status,
    seeded.priority!,
    seeded.source!,
    seeded.assignedToName!,
    seeded.assignedToUserId!,
    seeded.customerName!,
    seeded.customerId!,
    seeded.marketId!,
    seeded.marketGroupId!,
    seeded.lastCommenterName!,
    ...seeded.tags,
  ]) {
    await expect(details, `details show ${value}`).toContainText(value);
  }
  await expect(details.getByRole('link', { name: seeded.customerEmail! })).toHaveAttribute(
    'href',
    `mailto:${seeded.customerEmail}`,
  );
  await expect(details).toContainText(String(seeded.commentCount));

  const shownTimes = await page.locator('time[datetime]').evaluateAll((elements) =>
    elements.map((element) => element.getAttribute('datetime')!),
  );
  const shownEpochs = new Set(shownTimes.map(epochMs));
  for (const field of ['created', 'changed', 'followUpDate', 'resolvedDate', 'closedDate', 'lastCommentDate'] as const) {
    const value = seeded[field];
    if (value) {
      expect(shownEpochs.has(epochMs(value)), `${field} ${value} is on the page`).toBe(true);
    }
  }

  const publicNotes = page.getByRole('region', { name: /^Public notes/ });
  for (const note of seeded.caseNotes) {
    await expect(publicNotes).toContainText(note.detail!.replace(/\s+/g, ' '));
    await expect(publicNotes).toContainText(note.creator!);
    if (note.title) {
      await expect(publicNotes).toContainText(note.title);
    }
  }
  const internalNotes = page.getByRole('region', { name: /^Internal notes/ });
  await expect(internalNotes.getByRole('listitem').filter({ hasText: 'Internal — not visible to the customer' })).toHaveCount(
    seeded.internalNotes.length,
  );
  for (const note of seeded.internalNotes) {
    await expect(internalNotes).toContainText(note.detail!.replace(/\s+/g, ' '));
    await expect(internalNotes).toContainText(note.creator!);
  }

  const participants = page.getByRole('region', { name: 'Participants' });
  for (const participant of seeded.participants) {
    for (const value of [participant.name, participant.email, participant.customerId, participant.role]) {
      if (value) {
        await expect(participants).toContainText(value);
      }
    }
  }

  const properties = page.getByRole('region', { name: 'Properties' });
  for (const property of seeded.properties) {
    await expect(properties).toContainText(property.keyGroup!);
    const row = properties.locator('dt', { hasText: property.key! });
    await expect(row.locator('xpath=following-sibling::dd[1]')).toHaveText(
      shownPropertyValue(property.value!, property.valueType!),
    );
  }

  const related = page.getByRole('region', { name: 'Related' });
  for (const id of [
    ...seeded.relatedOrders,
    ...seeded.relatedCustomers,
    ...seeded.relatedProjects,
    ...seeded.relatedCarts,
    ...seeded.relatedSkuIds,
    ...seeded.relatedProductIds,
  ]) {
    await expect(related).toContainText(id);
  }

  const history = page.getByRole('region', { name: 'Status history' });
  await expect(history.getByRole('listitem')).toHaveCount(seeded.caseStatusLog.length);
  expectNoConsoleErrors();
});

test('detail renders HTML-looking text as text', async ({ page, sandbox, expectNoConsoleErrors }) => {
  const image = '<img src=x onerror="window.__xss=1">';
  const script = '<script>window.__xss=1</script>';
  const payload = (field: string) => `${field} ${image} ${script}`;

  const created = await api(sandbox, 'POST', '/api/cases', {
    subject: payload('subject'),
    description: payload('description'),
    source: payload('source'),
    priority: payload('priority'),
    customerName: payload('customer'),
    customerId: payload('customer id'),
    assignedToUserId: payload('assignee id'),
    assignedToName: payload('assignee'),
    tags: [payload('tag')],
    relatedOrders: [payload('order')],
    participants: [{ name: payload('participant'), role: payload('role') }],
    caseNotes: [{ detail: payload('public note'), title: payload('note title'), creator: payload('public creator') }],
    internalNotes: [{ detail: payload('internal note'), creator: payload('internal creator') }],
    properties: [
      { key: payload('key'), keyGroup: payload('group'), value: payload('value'), valueType: 'String' },
      { key: 'When', keyGroup: 'Dates', value: payload('date'), valueType: 'DateTime' },
    ],
  });
  expect(created.status).toBe(201);

  await openCase(page, sandbox.appUrl, sandbox.tokens.admin, created.json.id);

  for (const field of [
    'subject',
    'description',
    'source',
    'priority',
    'customer',
    'customer id',
    'assignee',
    'tag',
    'order',
    'participant',
    'role',
    'public note',
    'note title',
    'public creator',
    'internal note',
    'internal creator',
    'key',
    'group',
    'value',
    'date',
  ]) {
    await expect(page.getByText(payload(field), { exact: true }).first(), `${field} shown as text`).toBeVisible();
  }

  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  await expect(page.locator('.omnium-app img')).toHaveCount(0);
  await expect(page.locator('.omnium-app script')).toHaveCount(0);
  expectNoConsoleErrors();
});

test('timeline durations match the status log', async ({ page, sandbox, expectNoConsoleErrors }) => {
  const seeded = await findCase(sandbox, (c) => c.caseStatusLog.length >= 4);

  await openCase(page, sandbox.appUrl, sandbox.tokens.readOnly, seeded.id);

  const entries = page.getByRole('region', { name: 'Status history' }).getByRole('listitem');
  await expect(entries).toHaveCount(seeded.caseStatusLog.length);

  for (const [index, item] of seeded.caseStatusLog.entries()) {
    const entry = entries.nth(index);
    await expect(entry.locator('.timeline-status')).toHaveText(item.status);
    expect(epochMs((await entry.locator('time').getAttribute('datetime'))!)).toBe(epochMs(item.timestamp));

    if (index === 0) {
      await expect(entry.locator('.timeline-stay')).toHaveCount(0);
      continue;
    }

    const previous = seeded.caseStatusLog[index - 1].status;
    await expect(entry).toContainText(`${formatDuration(item.durationSincePreviousMs!)} in ${previous}`);
  }

  const last = seeded.caseStatusLog[seeded.caseStatusLog.length - 1];
  await expect(entries.last().locator('.timeline-current')).toContainText(`In ${last.status} for`);
  const live = await entries.last().locator('.timeline-live').textContent();
  // The page's clock ticks every 5 seconds, so it may lag the test's by that much.
  const sinceLast = Date.now() - epochMs(last.timestamp);
  expect([formatDuration(sinceLast - 10_000), formatDuration(sinceLast)]).toContain(live);
  expectNoConsoleErrors();
});

test('assign round-trips', async ({ page, sandbox, expectNoConsoleErrors }) => {
  const seeded = await findCase(sandbox, (c) => c.assignedToUserId !== 'agent-alan');
  await openCase(page, sandbox.appUrl, sandbox.tokens.admin, seeded.id);

  await page.getByRole('button', { name: 'Assign…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Assign case' });
  await dialog.getByLabel('User id').fill('agent-alan');
  await dialog.getByLabel('Display name').fill('Alan Turing');
  await dialog.getByRole('button', { name: 'Assign' }).click();

  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Details' })).toContainText('Alan Turing');
  await expect(page.getByRole('status').filter({ hasText: 'Assigned to Alan Turing.' })).toHaveCount(1);

  const stored = await getCase(sandbox, seeded.id);
  expect(stored.assignedToUserId).toBe('agent-alan');
  expect(stored.assignedToName).toBe('Alan Turing');
  expectNoConsoleErrors();
});

test('assign to me round-trips', async ({ page, sandbox, expectNoConsoleErrors }) => {
  const seeded = await findCase(sandbox, (c) => c.assignedToUserId !== 'agent-ada');
  await openCase(page, sandbox.appUrl, sandbox.tokens.admin, seeded.id);

  await page.getByRole('button', { name: 'Assign to me' }).click();

  await expect(page.getByRole('region', { name: 'Details' })).toContainText('Ada Lovelace');
  await expect(page.getByRole('button', { name: 'Assign to me' })).toHaveCount(0);

  const stored = await getCase(sandbox, seeded.id);
  expect(stored.assignedToUserId).toBe('agent-ada');
  expect(stored.assignedToName).toBe('Ada Lovelace');
  expectNoConsoleErrors();
});

test('status change confirms closing', async ({ page, sandbox, consoleErrors, expectNoConsoleErrors }) => {
  consoleErrors.allow(/status of 400/);
  const seeded = await findCase(sandbox, (c) => c.status === 'New');
  await openCase(page, sandbox.appUrl, sandbox.tokens.admin, seeded.id);

  // The API rejects a typed status the tenant lacks, and the error shows in the dialog.
  await page.getByRole('button', { name: 'Change status…' }).click();
  let dialog = page.getByRole('dialog', { name: 'Change status' });
  await dialog.getByLabel('New status').selectOption({ label: 'Other status…' });
  await dialog.getByLabel('Other status').fill('Waiting for parts');
  await dialog.getByRole('button', { name: 'Change status' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Waiting for parts');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect((await getCase(sandbox, seeded.id)).status).toBe('New');

  await page.getByRole('button', { name: 'Change status…' }).click();
  dialog = page.getByRole('dialog', { name: 'Change status' });
  await dialog.getByLabel('New status').selectOption({ label: 'In Progress' });
  await dialog.getByRole('button', { name: 'Change status' }).click();

  await expect(dialog).toHaveCount(0);
  await expect(page.locator('.badge-status')).toContainText('In Progress');
  expect((await getCase(sandbox, seeded.id)).status).toBe('In Progress');

  await page.getByRole('button', { name: 'Change status…' }).click();
  dialog = page.getByRole('dialog', { name: 'Change status' });
  await dialog.getByLabel('New status').selectOption({ label: 'Closed' });
  await dialog.getByRole('button', { name: 'Change status' }).click();

  await expect(dialog).toContainText(`Close case ${seeded.caseNumber} “${seeded.subject}”?`);
  expect((await getCase(sandbox, seeded.id)).status).toBe('In Progress');
  // Focus starts on Back, so Enter pressed again returns to the choice.
  await expect(dialog.getByRole('button', { name: 'Back' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.getByLabel('New status')).toBeVisible();
  expect((await getCase(sandbox, seeded.id)).status).toBe('In Progress');
  await dialog.getByLabel('New status').selectOption({ label: 'Closed' });
  await dialog.getByRole('button', { name: 'Change status' }).click();
  await dialog.getByRole('button', { name: 'Close case' }).click();

  await expect(dialog).toHaveCount(0);
  await expect(page.locator('.badge-status')).toContainText('Closed');
  const stored = await getCase(sandbox, seeded.id);
  expect(stored.status).toBe('Closed');
  expect(stored.closedDate).toBeTruthy();
  await expect(page.getByRole('region', { name: 'Status history' }).getByRole('listitem').last()).toContainText('Closed');
  expectNoConsoleErrors();
});

test('rejected other status takes focus', async ({ page, sandbox, consoleErrors }) => {
  consoleErrors.allow(/status of 400/);
  const seeded = await findCase(sandbox, (c) => c.status === 'New');
  await openCase(page, sandbox.appUrl, sandbox.tokens.admin, seeded.id);

  await page.getByRole('button', { name: 'Change status…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change status' });
  await dialog.getByLabel('New status').selectOption({ label: 'Other status…' });
  const other = dialog.getByLabel('Other status');
  await other.fill('Waiting for parts');
  await dialog.getByRole('button', { name: 'Change status' }).click();

  await expect(other).toBeFocused();
  await expect(other).toHaveAttribute('aria-invalid', 'true');
  await expect(other).toHaveAccessibleDescription(/^Unknown status 'Waiting for parts'\./);
  await expect(dialog.getByLabel('New status')).not.toHaveAttribute('aria-invalid', 'true');

  await other.fill('In Progress');
  await expect(other).not.toHaveAttribute('aria-invalid', 'true');
  await other.press('Enter');
  await expect(dialog).toHaveCount(0);
  expect((await getCase(sandbox, seeded.id)).status).toBe('In Progress');
});

test('rejected status choice takes focus', async ({ page }) => {
  // The app offers a status the API does not know, so the API rejects it.
  const sandbox = await startSandbox({
    configOverride: { statuses: ['New', 'In Progress', 'Escalated', 'Resolved', 'Closed'] },
  });
  try {
    const seeded = await findCase(sandbox, (c) => c.status === 'New');
    await openCase(page, sandbox.appUrl, sandbox.tokens.admin, seeded.id);

    await page.getByRole('button', { name: 'Change status…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change status' });
    const choice = dialog.getByLabel('New status');
    await choice.selectOption({ label: 'Escalated' });
    const answered = page.waitForResponse((response) => response.url().endsWith('/changestatus'));
    await dialog.getByRole('button', { name: 'Change status' }).click();
    expect((await answered).status()).toBe(400);

    await expect(choice).toBeFocused();
    await expect(choice).toHaveAttribute('aria-invalid', 'true');
    await expect(choice).toHaveAccessibleDescription(/^Unknown status 'Escalated'\./);
    expect((await getCase(sandbox, seeded.id)).status).toBe('New');
  } finally {
    await sandbox.stop();
  }
});

test('priority change sends only the priority', async ({ page, sandbox, expectNoConsoleErrors }) => {
  const seeded = await findCase(sandbox, (c) => c.priority !== 'Critical');
  await openCase(page, sandbox.appUrl, sandbox.tokens.admin, seeded.id);

  await page.getByRole('button', { name: 'Change priority…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change priority' });
  await dialog.getByLabel('New priority').selectOption({ label: 'Critical' });
  const patch = page.waitForRequest((request) => request.method() === 'PATCH');
  await dialog.getByRole('button', { name: 'Change priority' }).click();

  expect(JSON.parse((await patch).postData()!)).toEqual({ id: seeded.id, priority: 'Critical' });
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('.badge-priority')).toContainText('Critical');

  const stored = await getCase(sandbox, seeded.id);
  expect(stored.priority).toBe('Critical');
  expect(stored.subject).toBe(seeded.subject);
  expect(stored.assignedToUserId).toBe(seeded.assignedToUserId);
  expectNoConsoleErrors();
});

for (const kind of ['public', 'internal'] as const) {
  test(`${kind} note round-trips`, async ({ page, sandbox, expectNoConsoleErrors }) => {
    const seeded = await findCase(sandbox, (c) => c.caseNotes.length > 0);
    const text = `Called the carrier (${kind}).\nThey will deliver tomorrow.`;
    await openCase(page, sandbox.appUrl, sandbox.tokens.admin, seeded.id);

    const box = page.getByLabel(`New ${kind} note`);
    await box.fill(text);
    await page.getByRole('button', { name: `Add ${kind} note` }).click();

    await expect(box).toHaveValue('');
    const section = page.getByRole('region', { name: kind === 'public' ? /^Public notes/ : /^Internal notes/ });
    const added = section.getByRole('listitem').filter({ hasText: 'They will deliver tomorrow.' });
    await expect(added).toHaveCount(1);
    await expect(added).toContainText('Ada Lovelace');
    if (kind === 'internal') {
      await expect(added).toContainText('Internal — not visible to the customer');
    }

    const stored = await getCase(sandbox, seeded.id);
    const notes = kind === 'public' ? stored.caseNotes : stored.internalNotes;
    const other = kind === 'public' ? stored.internalNotes : stored.caseNotes;
    const note = notes[notes.length - 1];
    expect(note.detail).toBe(text);
    expect(note.type).toBe(kind === 'public' ? 'Public' : 'Internal');
    expect(note.creator).toBe('Ada Lovelace');
    expect(note.userId).toBe('agent-ada');
    expect(other.some((other) => other.detail === text)).toBe(false);
    expect(notes.length).toBe((kind === 'public' ? seeded.caseNotes : seeded.internalNotes).length + 1);
    expectNoConsoleErrors();
  });
}

test('note keeps a colleague change', async ({ page, sandbox, expectNoConsoleErrors }) => {
  const seeded = await findCase(sandbox, () => true);
  await openCase(page, sandbox.appUrl, sandbox.tokens.admin, seeded.id);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(seeded.subject);

  const colleague = await api(sandbox, 'PATCH', '/api/cases', { id: seeded.id, subject: 'Renamed by a colleague' });
  expect(colleague.status).toBe(200);

  await page.getByLabel('New public note').fill('My reply');
  await page.getByRole('button', { name: 'Add public note' }).click();

  await expect(page.getByText('This case was changed by someone else')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Renamed by a colleague');

  const stored = await getCase(sandbox, seeded.id);
  expect(stored.subject).toBe('Renamed by a colleague');
  expect(stored.caseNotes[stored.caseNotes.length - 1].detail).toBe('My reply');
  expectNoConsoleErrors();
});

test('delete round-trips', async ({ page, sandbox, consoleErrors, expectNoConsoleErrors }) => {
  const seeded = await findCase(sandbox, () => true);
  await openCase(page, sandbox.appUrl, sandbox.tokens.admin, seeded.id);

  await page.getByRole('button', { name: 'Delete…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete case' });
  await expect(dialog).toContainText(`Delete case ${seeded.caseNumber} “${seeded.subject}”?`);
  await dialog.getByRole('button', { name: 'Delete case' }).click();

  await expect(page.getByRole('heading', { name: 'Case deleted' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText(`Case ${seeded.caseNumber} “${seeded.subject}” was deleted.`);
  await expect(page.getByRole('link', { name: 'Back to the case list' })).toBeVisible();

  const stored = await api(sandbox, 'GET', `/api/cases/${seeded.id}`);
  expect(stored.status).toBe(404);
  consoleErrors.allow(/status of 404/);
  expectNoConsoleErrors();
});

test('unknown id says not found', async ({ page, sandbox, consoleErrors, expectNoConsoleErrors }) => {
  consoleErrors.allow(/status of 404/);
  await openCase(page, sandbox.appUrl, sandbox.tokens.admin, 'no-such-case');

  await expect(page.getByRole('heading', { name: 'Case not found' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('It may have been deleted');
  await page.getByRole('link', { name: 'Back to the case list' }).click();
  await expect(page).toHaveURL(/\/cases$/);
  expectNoConsoleErrors();
});

test('failed load offers a retry', async ({ page, sandbox, consoleErrors, expectNoConsoleErrors }) => {
  consoleErrors.allow(/status of 500/);
  const seeded = await findCase(sandbox, () => true);
  await sandbox.setFaults([{ route: 'get', status: 500, rate: 1 }]);
  await openCase(page, sandbox.appUrl, sandbox.tokens.admin, seeded.id);

  await expect(page.getByRole('alert')).toContainText('HTTP 500');
  await sandbox.setFaults([]);
  await page.getByRole('button', { name: 'Try again' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(seeded.subject);
  await expect(page.getByRole('alert')).toHaveCount(0);
  expectNoConsoleErrors();
});

/**
 * Follows a link to `href` from outside the app, as a portal page around
 * the app would have one. The router handles such clicks like its own links.
 */
async function followLink(page: Page, href: string): Promise<void> {
  await page.evaluate((target) => {
    const link = document.createElement('a');
    link.href = target;
    link.textContent = 'Next case';
    document.body.append(link);
    link.click();
    link.remove();
  }, href);
}

test('case page never shows the previous case', async ({ page, sandbox, expectNoConsoleErrors }) => {
  const cases = await allCases(sandbox);
  const first = cases[0];
  const second = cases.find((c) => c.subject !== first.subject);
  expect(second, 'a second case with another subject').toBeDefined();
  const [caseA, caseB] = [first, second!];
  const pathA = `/cases/${encodeURIComponent(caseA.id)}`;
  const pathB = `/cases/${encodeURIComponent(caseB.id)}`;

  await openCase(page, sandbox.appUrl, sandbox.tokens.admin, caseB.id);
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText(caseB.subject);

  // Records every heading text the page shows together with the address it
  // shows it under.
  await page.evaluate(() => {
    const seen: { path: string; heading: string }[] = [];
    const record = () => {
      const headingElement = document.querySelector('.omnium-app main h1');
      seen.push({ path: location.pathname, heading: headingElement?.textContent ?? '' });
    };
    new MutationObserver(record).observe(document.body, { childList: true, subtree: true, characterData: true });
    (window as unknown as { headingsSeen: typeof seen }).headingsSeen = seen;
  });
  const headingsUnderB = async () => {
    const seen = await page.evaluate(() => (window as unknown as { headingsSeen: { path: string; heading: string }[] }).headingsSeen);
    return seen.filter((entry) => entry.path === pathB).map((entry) => entry.heading);
  };

  // Every read now takes long enough that the agent moves on while case A
  // is still loading.
  const loadsOfA: Request[] = [];
  const finishedLoads = new Set<Request>();
  const isLoadOfA = (request: Request) => new URL(request.url()).pathname === `/api/cases/${encodeURIComponent(caseA.id)}`;
  page.on('request', (request) => {
    if (isLoadOfA(request)) {
      loadsOfA.push(request);
    }
  });
  page.on('requestfinished', (request) => finishedLoads.add(request));
  const latestLoadOfAFinished = () => finishedLoads.has(loadsOfA[loadsOfA.length - 1]);
  await sandbox.setFaults([], [{ route: 'get', ms: 2_000 }]);

  // A link from case B to case A, then one back to B while A loads.
  await followLink(page, new URL(pathA.slice(1), sandbox.appUrl).toString());
  await expect(page).toHaveURL(new RegExp(`${pathA}$`));
  await expect.poll(() => loadsOfA.length).toBe(1);
  await followLink(page, new URL(pathB.slice(1), sandbox.appUrl).toString());
  await expect(page).toHaveURL(new RegExp(`${pathB}$`));
  expect(latestLoadOfAFinished(), 'case A was still loading when the agent left it').toBe(false);
  await expect(heading).toHaveText(caseB.subject);
  expect(await headingsUnderB(), 'headings shown under the second case after a link').not.toContain(caseA.subject);

  // Back to case A and forward to case B again while A loads.
  await page.evaluate(() => {
    (window as unknown as { headingsSeen: unknown[] }).headingsSeen.length = 0;
  });
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`${pathA}$`));
  await expect.poll(() => loadsOfA.length).toBe(2);
  await page.goForward();
  await expect(page).toHaveURL(new RegExp(`${pathB}$`));
  expect(latestLoadOfAFinished(), 'case A was still loading when the agent went forward').toBe(false);
  await expect(heading).toHaveText(caseB.subject);

  const underB = await headingsUnderB();
  expect(underB).toContain(caseB.subject);
  expect(underB, 'headings shown under the second case after Back and Forward').not.toContain(caseA.subject);
  expectNoConsoleErrors();
});

test('read-only token shows no admin action', async ({ page, sandbox, expectNoConsoleErrors }) => {
  const seeded = await findCase(sandbox, () => true);
  await openCase(page, sandbox.appUrl, sandbox.tokens.readOnly, seeded.id);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(seeded.subject);

  for (const name of [...adminButtons, 'Assign to me', 'Add public note', 'Add internal note']) {
    await expect(page.getByRole('button', { name }), name).toHaveCount(0);
  }
  await expect(page.getByRole('link', { name: 'Edit' })).toHaveCount(0);
  await expect(page.getByRole('textbox')).toHaveCount(0);
  await expect(page.getByRole('toolbar')).toHaveCount(0);

  await page.keyboard.press('a');
  await page.keyboard.press('s');
  await page.keyboard.press('e');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`/cases/${seeded.id}$`));
  expectNoConsoleErrors();
});

test('shortcuts open dialogs and edit', async ({ page, sandbox, expectNoConsoleErrors }) => {
  const seeded = await findCase(sandbox, () => true);
  await openCase(page, sandbox.appUrl, sandbox.tokens.admin, seeded.id);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(seeded.subject);

  const assign = page.getByRole('button', { name: 'Assign…' });
  await assign.focus();
  await page.keyboard.press('a');
  const dialog = page.getByRole('dialog', { name: 'Assign case' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('User id')).toBeFocused();
  await expect(dialog.getByLabel('User id')).toHaveValue(seeded.assignedToUserId ?? '');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(assign).toBeFocused();

  await page.keyboard.press('s');
  await expect(page.getByRole('dialog', { name: 'Change status' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Typing in a note box is not a shortcut.
  await page.getByLabel('New public note').fill('');
  await page.getByLabel('New public note').press('a');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByLabel('New public note')).toHaveValue('a');

  await assign.focus();
  await page.keyboard.press('e');
  await expect(page).toHaveURL(new RegExp(`/cases/${seeded.id}/edit$`));
  expectNoConsoleErrors();
});

test('related ids link by template or copy', async ({ page, context, expectNoConsoleErrors }) => {
  const sandbox = await startSandbox({
    configOverride: { linkTemplates: { orders: 'https://portal.example/orders/{id}' } },
  });
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sandbox.url });
    const seeded = await findCase(sandbox, (c) => c.relatedOrders.length > 0 && c.relatedCustomers.length > 0);
    await openCase(page, sandbox.appUrl, sandbox.tokens.readOnly, seeded.id);

    const related = page.getByRole('region', { name: 'Related' });
    const order = seeded.relatedOrders[0];
    const link = related.getByRole('link', { name: order });
    // The app percent-encodes the id; a server reads `%2D` and `-` alike.
    const href = await link.getAttribute('href');
    expect(decodeURIComponent(href!)).toBe(`https://portal.example/orders/${order}`);
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', 'noopener');

    const customer = seeded.relatedCustomers[0];
    await expect(related.getByRole('link', { name: customer })).toHaveCount(0);
    await related.getByRole('button', { name: `Copy customer ${customer}` }).click();
    await expect(related.locator('[aria-live="polite"]')).toHaveText(`Copied ${customer} to the clipboard.`);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(customer);
    expectNoConsoleErrors();
  } finally {
    await sandbox.stop();
  }
});

test('403 on an action hides actions and says why', async ({ page, consoleErrors, expectNoConsoleErrors }) => {
  // The app counts CaseRead as admin here, so the read-only token shows
  // admin actions while the sandbox refuses its writes with 403.
  const sandbox = await startSandbox({
    configOverride: { roles: { adminRoles: ['CaseAdmin', 'CaseRead'] } },
  });
  try {
    consoleErrors.allow(/status of 403/);
    const seeded = await findCase(sandbox, () => true);
    await openCase(page, sandbox.appUrl, sandbox.tokens.readOnly, seeded.id);

    await page.getByLabel('New internal note').fill('Refund approved by team lead.');
    await page.getByRole('button', { name: 'Add internal note' }).click();

    await expect(page.getByRole('alert').filter({ hasText: 'does not grant case-admin access' })).toBeVisible();
    for (const name of adminButtons) {
      await expect(page.getByRole('button', { name }), name).toHaveCount(0);
    }
    await expect(page.getByRole('button', { name: 'Add internal note' })).toHaveCount(0);
    await expect(page.getByLabel('Unsaved internal note')).toHaveValue('Refund approved by team lead.');

    const stored = await getCase(sandbox, seeded.id);
    expect(stored.internalNotes.length).toBe(seeded.internalNotes.length);
    expectNoConsoleErrors();
  } finally {
    await sandbox.stop();
  }
});

test('signing in again keeps the note draft', async ({ page, sandbox, consoleErrors, expectNoConsoleErrors }) => {
  consoleErrors.allow(/status of 401/);
  const seeded = await findCase(sandbox, () => true);
  await openCase(page, sandbox.appUrl, sandbox.tokens.admin, seeded.id);
  await sandbox.setFaults([{ route: 'get', status: 401, rate: 1 }]);

  const box = page.getByLabel('New internal note');
  await box.fill('Customer called twice today.');
  await page.getByRole('button', { name: 'Add internal note' }).click();

  const dialog = page.getByRole('dialog', { name: 'Sign in again' });
  await expect(dialog).toBeVisible();
  await sandbox.setFaults([]);
  await dialog.getByLabel('Access token').fill(sandbox.tokens.admin);
  const reload = page.waitForResponse((response) => response.request().method() === 'GET' && response.url().includes('/api/cases/'));
  await dialog.getByRole('button', { name: 'Sign in' }).click();

  expect((await reload).status()).toBe(200);
  await expect(dialog).toHaveCount(0);
  await expect(box).toHaveValue('Customer called twice today.');
  await page.getByRole('button', { name: 'Add internal note' }).click();
  await expect(box).toHaveValue('');
  const stored = await getCase(sandbox, seeded.id);
  expect(stored.internalNotes[stored.internalNotes.length - 1].detail).toBe('Customer called twice today.');
  expectNoConsoleErrors();
});

test('failed note keeps its text', async ({ page, sandbox, consoleErrors, expectNoConsoleErrors }) => {
  consoleErrors.allow(/status of 500/);
  const seeded = await findCase(sandbox, () => true);
  await openCase(page, sandbox.appUrl, sandbox.tokens.admin, seeded.id);
  await sandbox.setFaults([{ route: 'update', status: 500, rate: 1 }]);

  const box = page.getByLabel('New public note');
  await box.fill('We have sent a replacement.');
  await page.getByRole('button', { name: 'Add public note' }).click();

  const section = page.getByRole('region', { name: /^Public notes/ });
  await expect(section.getByRole('alert')).toContainText('HTTP 500');
  await expect(section).toContainText('It is still in the box above.');
  await expect(box).toHaveValue('We have sent a replacement.');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(seeded.subject);
  expect((await getCase(sandbox, seeded.id)).caseNotes.length).toBe(seeded.caseNotes.length);

  await sandbox.setFaults([]);
  await page.getByRole('button', { name: 'Add public note' }).click();
  await expect(box).toHaveValue('');
  await expect(section.getByRole('alert')).toHaveCount(0);
  const stored = await getCase(sandbox, seeded.id);
  expect(stored.caseNotes[stored.caseNotes.length - 1].detail).toBe('We have sent a replacement.');
  expectNoConsoleErrors();
});

test('case number in the address opens the case', async ({ page, sandbox, expectNoConsoleErrors, consoleErrors }) => {
  consoleErrors.allow(/status of 404/);
  const seeded = await findCase(sandbox, (c) => /^\d+$/.test(c.caseNumber) && c.id !== c.caseNumber);
  await page.goto(new URL(`cases/${seeded.caseNumber}`, sandbox.appUrl).toString());
  await page.getByLabel('Access token').fill(sandbox.tokens.admin);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(new RegExp(`/cases/${encodeURIComponent(seeded.id)}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(seeded.subject);
  expectNoConsoleErrors();
});

test('tab titles name the page', async ({ page, sandbox, expectNoConsoleErrors }) => {
  const seeded = await findCase(sandbox, () => true);
  await openCase(page, sandbox.appUrl, sandbox.tokens.admin, seeded.id);
  await expect(page).toHaveTitle(`${seeded.caseNumber} ${seeded.subject} · Omnium Cases`);

  await page.getByRole('banner').getByRole('link', { name: 'Cases', exact: true }).click();
  await expect(page).toHaveTitle('Cases · Omnium Cases');
  await page.getByLabel('Search', { exact: true }).fill('parcel');
  await expect(page).toHaveTitle('Cases: parcel · Omnium Cases');
  expectNoConsoleErrors();
});

test('lost answer does not add the note twice', async ({ page, sandbox, consoleErrors, expectNoConsoleErrors }) => {
  consoleErrors.allow(/ERR_FAILED/);
  const text = 'Replacement shipped today.';
  const seeded = await findCase(sandbox, () => true);
  await openCase(page, sandbox.appUrl, sandbox.tokens.admin, seeded.id);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(seeded.subject);

  // The first update reaches the sandbox, which stores the note, but its
  // response never reaches the app, as when a gateway drops it.
  let dropped = 0;
  await page.route(
    (url) => url.pathname === '/api/cases',
    async (route) => {
      if (route.request().method() !== 'PUT' || dropped > 0) {
        return route.fallback();
      }
      dropped += 1;
      await route.fetch();
      await route.abort('failed');
    },
  );

  const box = page.getByLabel('New public note');
  const section = page.getByRole('region', { name: /^Public notes/ });
  const copies = async () => (await getCase(sandbox, seeded.id)).caseNotes.filter((note) => note.detail === text);
  await box.fill(text);
  await page.getByRole('button', { name: 'Add public note' }).click();
  await expect(section.getByRole('alert')).toContainText('Could not reach the Omnium API');
  await expect(box).toHaveValue(text);
  expect(await copies()).toHaveLength(1);

  await page.getByRole('button', { name: 'Add public note' }).click();
  await expect(page.getByText('Your earlier attempt had already added this note')).toBeVisible();
  await expect(box).toHaveValue('');
  await expect(section.locator('.note-detail').filter({ hasText: text })).toHaveCount(1);
  expect(await copies()).toHaveLength(1);
  expect(dropped).toBe(1);
  expectNoConsoleErrors();
});

test('unsent note survives leaving the page', async ({ page, sandbox, expectNoConsoleErrors }) => {
  const seeded = await findCase(sandbox, () => true);
  await openCase(page, sandbox.appUrl, sandbox.tokens.admin, seeded.id);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(seeded.subject);

  const box = page.getByLabel('New internal note');
  await box.fill('Half-written reply to the carrier');
  await page.getByRole('banner').getByRole('link', { name: 'Cases', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cases');
  await page.goBack();
  await expect(box).toHaveValue('Half-written reply to the carrier');

  // The token is kept in memory, so a reload signs in again on the way.
  const signInAgain = async () => {
    await page.reload();
    await page.getByLabel('Access token').fill(sandbox.tokens.admin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(seeded.subject);
  };
  await signInAgain();
  await expect(box).toHaveValue('Half-written reply to the carrier');

  // Sending the note removes the stored copy.
  await page.getByRole('button', { name: 'Add internal note' }).click();
  await expect(box).toHaveValue('');
  await signInAgain();
  await expect(box).toHaveValue('');
  expectNoConsoleErrors();
});

/** Builds a portal page that mounts the app and records its case-changed events. */
function portalPage(sandboxUrl: string, token: string): string {
  return `<!DOCTYPE html><html><head><title>Portal</title></head><body>
<h1 id="portal-heading">Portal</h1>
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

test('embedded page announces each change', async ({ page, consoleErrors, expectNoConsoleErrors }) => {
  // The test portal has no favicon.
  consoleErrors.allow(/favicon\.ico/);
  let html = '';
  const portal = await startServer((request) =>
    request.url?.startsWith('/portal') ? { headers: { 'content-type': 'text/html' }, body: html } : undefined,
  );
  const sandbox = await startSandbox({ args: ['--allow-origin', portal.origin] });
  try {
    const seeded = await findCase(sandbox, (c) => c.assignedToUserId !== 'agent-ada' && c.status === 'New');
    html = portalPage(sandbox.url, sandbox.tokens.admin);
    await page.goto(`${portal.origin}/portal/cases/cases/${seeded.id}`);

    const app = page.locator('#cases');
    await expect(app.getByRole('heading', { level: 1 })).toHaveText(seeded.subject);
    // The portal owns its document, title included.
    await expect(page).toHaveTitle('Portal');
    const changes = () => page.evaluate(() => (window as unknown as { changes: unknown[] }).changes);

    // Keys typed while the portal has focus stay the portal's.
    await page.locator('#portal-heading').click();
    await page.keyboard.press('a');
    await expect(app.getByRole('dialog')).toHaveCount(0);

    // Inside the app (a shadow root) they are shortcuts.
    await app.getByRole('button', { name: 'Change priority…' }).focus();
    await page.keyboard.press('s');
    await expect(app.getByRole('dialog', { name: 'Change status' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(app.getByRole('dialog')).toHaveCount(0);

    await app.getByRole('button', { name: 'Assign to me' }).click();
    await expect(app.getByRole('button', { name: 'Assign to me' })).toHaveCount(0);

    await app.getByRole('button', { name: 'Change status…' }).click();
    await app.getByLabel('New status').selectOption({ label: 'In Progress' });
    await app.getByRole('dialog').getByRole('button', { name: 'Change status' }).click();
    await expect(app.getByRole('dialog')).toHaveCount(0);

    await app.getByRole('button', { name: 'Change priority…' }).click();
    await app.getByLabel('New priority').selectOption({ label: 'Critical' });
    await app.getByRole('dialog').getByRole('button', { name: 'Change priority' }).click();
    await expect(app.getByRole('dialog')).toHaveCount(0);

    await app.getByLabel('New internal note').fill('Checked the warehouse.');
    await app.getByRole('button', { name: 'Add internal note' }).click();
    await expect(app.getByLabel('New internal note')).toHaveValue('');

    await app.getByRole('button', { name: 'Delete…' }).click();
    await app.getByRole('dialog').getByRole('button', { name: 'Delete case' }).click();
    await expect(app.getByRole('heading', { name: 'Case deleted' })).toBeVisible();

    const expected = ['assign', 'status', 'priority', 'note', 'delete'].map((action) => ({
      id: seeded.id,
      caseNumber: seeded.caseNumber,
      action,
    }));
    expect(await changes()).toEqual(expected);
    expectNoConsoleErrors();
  } finally {
    await sandbox.stop();
    await portal.close();
  }
});
