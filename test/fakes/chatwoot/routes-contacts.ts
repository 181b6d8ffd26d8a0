import { Router } from 'express';
import { HttpError, couldNotCreate } from './errors';
import { contactConversations } from './conversations';
import { intParam, jsonBody, schemaGuard } from './app';
import type { FakeContext } from './app';
import type { ContactInput } from './store';
import type { Contact, JsonObject } from './types';

const PER_PAGE = 15;
const SEARCH_LIMIT_PER_MINUTE = 100;
const P = '/api/v1/accounts/{account_id}/contacts';
const FILTERABLE: Record<string, (c: Contact) => unknown> = {
  name: (c) => c.name,
  email: (c) => c.email,
  phone_number: (c) => c.phone_number,
  identifier: (c) => c.identifier,
  blocked: (c) => c.blocked,
  country_code: (c) => c.additional_attributes.country_code,
  city: (c) => c.additional_attributes.city,
  company: (c) => c.additional_attributes.company_name,
};

interface Condition {
  attribute_key: string;
  filter_operator: string;
  values: string[];
  query_operator?: string | null;
}

function contactInput(body: JsonObject): ContactInput {
  const keys = [
    'name',
    'email',
    'phone_number',
    'identifier',
    'blocked',
    'avatar_url',
    'additional_attributes',
    'custom_attributes',
  ] as const;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in body) out[k] = body[k];
  return out;
}

/** Contacts::FilterService: each condition's query_operator joins it to the next; AND binds tighter than OR. */
function matchesFilter(c: Contact, conditions: Condition[]): boolean {
  const groups: Condition[][] = [[]];
  for (const cond of conditions) {
    groups[groups.length - 1].push(cond);
    if ((cond.query_operator ?? '').toUpperCase() === 'OR') groups.push([]);
  }
  return groups.some((g) => g.length > 0 && g.every((cond) => matchCondition(c, cond)));
}

function matchCondition(c: Contact, cond: Condition): boolean {
  const raw = FILTERABLE[cond.attribute_key](c);
  const value = raw === null || raw === undefined ? null : String(raw).toLowerCase();
  const wanted = cond.values.map((v) => String(v).toLowerCase());
  switch (cond.filter_operator) {
    case 'equal_to':
      return value !== null && wanted.includes(value);
    case 'not_equal_to':
      return value === null || !wanted.includes(value);
    case 'contains':
      return value !== null && wanted.some((w) => value.includes(w));
    case 'does_not_contain':
      return value === null || !wanted.some((w) => value.includes(w));
    default:
      return false;
  }
}

/** ILIKE %q% on name/email/phone, LIKE (case-sensitive) on identifier. */
function matchesSearch(c: Contact, q: string): boolean {
  const lq = q.toLowerCase();
  return [c.name, c.email, c.phone_number].some((v) => v !== null && v.toLowerCase().includes(lq)) || (c.identifier ?? '').includes(q);
}

function byActivity(a: Contact, b: Contact): number {
  return (b.last_activity_at ?? -1) - (a.last_activity_at ?? -1) || b.id - a.id;
}

export function contactsRouter(ctx: FakeContext): Router {
  const r = Router({ mergeParams: true });
  const { store, ser } = ctx;

  // params[:page] is echoed back as received: a string when sent, 1 otherwise.
  const page = (raw: unknown): { n: number; echo: string | number } =>
    typeof raw === 'string' && raw !== '' ? { n: Math.max(1, Number.parseInt(raw, 10) || 1), echo: raw } : { n: 1, echo: 1 };

  r.post('/contacts/filter', schemaGuard(ctx, 'post', `${P}/filter`), (req, res) => {
    const conditions = (jsonBody(res).payload ?? []) as Condition[];
    for (const cond of conditions) {
      if (!(cond.attribute_key in FILTERABLE)) {
        throw couldNotCreate(`Invalid attribute key - [${cond.attribute_key}]`);
      }
    }
    const all = [...store.contacts.values()].filter((c) => matchesFilter(c, conditions)).sort(byActivity);
    const p = page(req.query.page);
    const payload = all.slice((p.n - 1) * PER_PAGE, p.n * PER_PAGE).map((c) => ser.contact(c, true));
    res.json({ meta: { count: all.length, current_page: p.echo }, payload });
  });

  r.get('/contacts/search', (req, res) => {
    const now = store.now();
    const searchTimes = store.searchTimes;
    while (searchTimes.length > 0 && searchTimes[0] <= now - 60_000) searchTimes.shift();
    if (searchTimes.length >= SEARCH_LIMIT_PER_MINUTE) {
      // Rack::Attack's throttled response: plain text, no Retry-After.
      throw new HttpError(429, 'Retry later\n', 'rate_limit', 'contacts/search is limited to 100 requests per minute per account');
    }
    searchTimes.push(now);
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    if (q.trim() === '') throw couldNotCreate('Specify search string with parameter q', 'bad_request');
    const withInboxes = req.query.include_contact_inboxes !== 'false';
    const all = [...store.contacts.values()].filter((c) => matchesSearch(c, q)).sort(byActivity);
    const p = page(req.query.page);
    const payload = all.slice((p.n - 1) * PER_PAGE, p.n * PER_PAGE).map((c) => ser.contact(c, withInboxes));
    res.json({ meta: { count: all.length, current_page: p.echo, has_more: p.n * PER_PAGE < all.length }, payload });
  });

  r.post('/contacts', schemaGuard(ctx, 'post', P), (_req, res) => {
    const body = jsonBody(res);
    const sourceId = typeof body.source_id === 'string' ? body.source_id : null;
    const { contact, contactInbox } = store.createContact(contactInput(body), body.inbox_id, sourceId);
    res.json({
      payload: {
        contact: ser.contact(contact, true),
        contact_inbox: {
          inbox: contactInbox ? ser.inboxRecord(store.inbox(contactInbox.inbox_id)) : null,
          source_id: contactInbox?.source_id ?? null,
        },
      },
    });
  });

  r.get('/contacts/:id', (req, res) => {
    res.json({ payload: ser.contact(store.contact(intParam(req.params.id, 'contact')), true) });
  });

  r.put('/contacts/:id', schemaGuard(ctx, 'put', `${P}/{id}`), (req, res) => {
    const contact = store.updateContact(intParam(req.params.id, 'contact'), contactInput(jsonBody(res)));
    res.json({ payload: ser.contact(contact, true) });
  });

  r.post('/contacts/:id/contact_inboxes', schemaGuard(ctx, 'post', `${P}/{id}/contact_inboxes`), (req, res) => {
    const contact = store.contact(intParam(req.params.id, 'contact'));
    const body = jsonBody(res);
    const inbox = store.inbox(body.inbox_id);
    const ci = store.ensureContactInbox(contact, inbox, typeof body.source_id === 'string' ? body.source_id : null);
    res.json(ser.contactInbox(ci));
  });

  r.get('/contacts/:id/conversations', (req, res) => {
    const contact = store.contact(intParam(req.params.id, 'contact'));
    res.json({ payload: contactConversations(store, contact.id).map((c) => ser.conversation(c)) });
  });

  return r;
}
