import type { Router } from '../router.js';
import type { RouteDeps } from './route-deps.js';

/**
 * Interaction callbacks and the interaction webhook (token-authenticated, so no bot token):
 * `@original` fetch/edit/delete and follow-ups.
 */
export function registerInteractionRoutes(router: Router, deps: RouteDeps): void {
  const { interactions } = deps;
  const noAuth = { auth: false };

  router.add(
    'POST',
    '/interactions/:interactionId/:token/callback',
    ({ params, query, body }) => {
      const out = interactions.callback(params.interactionId!, params.token!, body.json, body.files, query.get('with_response') === 'true');
      return out === null ? { status: 204 } : { status: 200, json: out };
    },
    noAuth,
  );
  router.add(
    'GET',
    '/webhooks/:appId/:token/messages/:messageId',
    ({ params }) => ({ status: 200, json: interactions.getMessage(params.appId!, params.token!, params.messageId!) }),
    noAuth,
  );
  router.add(
    'PATCH',
    '/webhooks/:appId/:token/messages/:messageId',
    ({ params, body }) => ({ status: 200, json: interactions.editMessage(params.appId!, params.token!, params.messageId!, body.json, body.files) }),
    noAuth,
  );
  router.add(
    'DELETE',
    '/webhooks/:appId/:token/messages/:messageId',
    ({ params }) => {
      interactions.deleteMessage(params.appId!, params.token!, params.messageId!);
      return { status: 204 };
    },
    noAuth,
  );
  // Interaction follow-ups always behave as `wait=true` and return the message.
  router.add(
    'POST',
    '/webhooks/:appId/:token',
    ({ params, body }) => ({ status: 200, json: interactions.followUp(params.appId!, params.token!, body.json, body.files) }),
    noAuth,
  );
}
