import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { errorBody, json } from '../openapi';
import { listNotificationsQuery, notificationPage, notificationParams, notificationView } from './schemas';

export function notificationsOpenApi(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  const unavailable = json(errorBody, 'The database is unreachable');
  registry.registerPath({
    method: 'get',
    path: '/api/notifications',
    tags: ['notifications'],
    summary: 'The mailer’s lists: parked (kept failing, or no one to send to, with why), pending, or sent without some of their recipients',
    request: { query: listNotificationsQuery },
    responses: { 200: json(notificationPage, 'A page of the list, oldest first'), 400: json(errorBody, 'Invalid query'), 503: unavailable },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/notifications/{id}/retry',
    tags: ['notifications'],
    summary: 'Send a parked notification again, from its first attempt (after fixing the relay or a missing address)',
    request: { params: notificationParams },
    responses: {
      200: json(notificationView, 'The notification, pending again'),
      400: json(errorBody, 'Invalid notification id'),
      404: json(errorBody, 'No such notification'),
      409: json(errorBody, 'It is not parked'),
      503: unavailable,
    },
  });
  return registry;
}
