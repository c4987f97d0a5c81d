// Drives the npm package `zoho-books-js` against zbooks sim.
//
// The library keeps its base URLs in module constants and copies them into public instance
// fields (`authenticationUrl`, `contactsUrl`, `chartOfAccountsUrl`, declared in its typings) when
// a class is constructed. The only change made to it: those instance fields are set to the
// simulator's URLs (its legacy `/api/v3/` path, as the library's own constant uses). It covers
// OAuth refresh, contacts, contact persons, chart of accounts and estimates; the simulator has
// no estimates, so those are not tried, and it has no items, invoices or payments to try.
'use strict';

const { Zoho } = require('zoho-books-js');

const base = process.env.ZB_SIM_URL.replace(/\/$/, '');
const org = process.env.ZB_ORG_ID;
const run = process.env.ZB_RUN || String(Date.now());
const client = 'zoho-books-js';
let failed = 0;
const values = {};

function emit(step, status, detail) {
  console.log(`RESULT ${client} ${step} ${status} ${String(detail || '').replace(/\s+/g, ' ')}`);
}

class Skip extends Error {}

function need(...keys) {
  const missing = keys.filter((k) => values[k] === undefined);
  if (missing.length) throw new Skip(`needs ${missing.join(', ')} from an earlier step`);
  return keys.map((k) => values[k]);
}

function check(cond, message) {
  if (!cond) throw new Error(message);
}

// The library resolves (not rejects) with Zoho's error body; a step fails on a non-zero code.
function ok(answer, what) {
  check(answer && typeof answer === 'object', `${what}: no JSON answer`);
  check(answer.code === 0, `${what}: code ${answer.code} ${answer.message || ''}`);
  return answer;
}

async function step(name, fn) {
  try {
    emit(name, 'PASS', await fn());
  } catch (err) {
    if (err instanceof Skip) {
      emit(name, 'SKIP', err.message);
    } else {
      failed += 1;
      emit(name, 'FAIL', `${err.name}: ${err.message}`);
      if (process.env.ZB_VERBOSE) console.error(err);
    }
  }
}

async function main() {
  Zoho.init(process.env.ZB_CLIENT_ID, process.env.ZB_CLIENT_SECRET);
  const oauth = new Zoho.OAuth();
  oauth.authenticationUrl = `${base}/oauth/v2/token`;
  const contacts = new Zoho.Contacts();
  contacts.contactsUrl = `${base}/api/v3/contacts`;
  const accounts = new Zoho.ChartOfAccounts();
  accounts.chartOfAccountsUrl = `${base}/api/v3/chartofaccounts`;
  const params = { organization_id: org };

  await step('token', async () => {
    const answer = await oauth.refresh(process.env.ZB_REFRESH_TOKEN);
    check(answer && answer.access_token, `token endpoint answered ${Object.keys(answer || {})}`);
    values.token = answer.access_token;
    return `access token via the library's OAuth.refresh, expires_in ${answer.expires_in}`;
  });
  await step('rate-limit headers', async () => {
    throw new Skip('the library does not expose response headers');
  });
  await step('list chart of accounts', async () => {
    const [token] = need('token');
    const answer = ok(await accounts.get(token, org), 'list chart of accounts');
    check(Array.isArray(answer.chartofaccounts), 'no chartofaccounts array');
    return `${answer.chartofaccounts.length} accounts`;
  });
  await step('create contact', async () => {
    const [token] = need('token');
    const answer = ok(
      await contacts.post(token, params, {
        contact_name: `Third-party zoho-books-js ${run}`,
        company_name: 'Bowman & Co',
        contact_type: 'customer',
      }),
      'create contact',
    );
    values.contactId = answer.contact.contact_id;
    return `contact ${values.contactId}`;
  });
  await step('get contact', async () => {
    const [token, id] = need('token', 'contactId');
    const answer = ok(await contacts.getOne(token, id, params), 'get contact');
    check(answer.contact.contact_id === id, 'another contact came back');
    return `${JSON.stringify(answer.contact.contact_name)}, status ${answer.contact.status}`;
  });
  await step('list contacts', async () => {
    const [token, id] = need('token', 'contactId');
    const answer = ok(await contacts.get(token, org), 'list contacts');
    check(answer.contacts.some((c) => c.contact_id === id), 'new contact not in the list');
    return `${answer.contacts.length} contacts`;
  });
  await step('update contact', async () => {
    const [token, id] = need('token', 'contactId');
    const answer = ok(
      await contacts.update(token, id, params, { contact_name: `Third-party zoho-books-js ${run} (renamed)` }),
      'update contact',
    );
    check(/renamed/.test(answer.contact.contact_name), 'name not changed');
    return 'renamed';
  });
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
