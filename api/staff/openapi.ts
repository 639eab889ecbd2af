import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { errorBody, json } from '../openapi';
import { listStaffQuery, staffBody, staffList, staffParams, staffView } from './schemas';

export function staffOpenApi(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  const invalid = json(errorBody, 'Invalid input: each bad field and why');
  const unavailable = json(errorBody, 'The database is unreachable');
  registry.registerPath({
    method: 'get',
    path: '/api/staff',
    tags: ['staff'],
    summary: 'The staff directory, by name: everyone who has signed in and everyone an administrator added (optionally those with a role: the pickers of chairs and owners)',
    request: { query: listStaffQuery },
    responses: { 200: json(staffList, 'The people'), 400: invalid, 503: unavailable },
  });
  registry.registerPath({
    method: 'put',
    path: '/api/staff/{id}',
    tags: ['staff'],
    summary: 'Add someone to the staff directory under their sign-in subject (or change them): a chair, or an action owner who may never sign in',
    request: { params: staffParams, body: { content: { 'application/json': { schema: staffBody } } } },
    responses: { 200: json(staffView, 'Changed'), 201: json(staffView, 'Added'), 400: invalid, 503: unavailable },
  });
  return registry;
}
