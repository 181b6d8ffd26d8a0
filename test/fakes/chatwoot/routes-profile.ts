import { Router } from 'express';
import type { FakeContext } from './app';

/** GET /api/v1/profile: what a bridge reads to find its user id and the ActionCable pubsub_token. */
export function profileRouter(ctx: FakeContext): Router {
  const r = Router();
  r.get('/profile', (_req, res) => {
    const u = ctx.store.apiUser;
    res.json({
      id: u.id,
      access_token: ctx.apiToken,
      account_id: ctx.accountId,
      available_name: u.name,
      avatar_url: '',
      confirmed: true,
      display_name: null,
      message_signature: null,
      email: u.email,
      hmac_identifier: '',
      inviter_id: null,
      name: u.name,
      provider: 'email',
      pubsub_token: ctx.store.apiUserPubsubToken,
      role: 'administrator',
      ui_settings: {},
      uid: u.email,
      type: null,
      custom_attributes: {},
      accounts: [
        {
          id: ctx.accountId,
          name: ctx.store.accountName,
          status: 'active',
          active_at: null,
          role: 'administrator',
          permissions: ['administrator'],
          availability: 'online',
          availability_status: 'online',
          auto_offline: true,
          custom_role_id: null,
          custom_role: null,
        },
      ],
    });
  });
  return r;
}
