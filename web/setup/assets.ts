import path from 'node:path';
import express, { type Router } from 'express';
import { FRONTEND_DIST } from '../render';

/** The design system's own files, as the package ships them; the pages' one script. */
export function setUpAssets(router: Router): void {
  const assets = { immutable: false, maxAge: '1h', fallthrough: false } as const;
  router.use('/assets/images', express.static(path.join(FRONTEND_DIST, 'nhsuk/assets/images'), assets));
  router.get('/assets/nhsuk-frontend.min.css', (_req, res) => res.sendFile(path.join(FRONTEND_DIST, 'nhsuk/nhsuk-frontend.min.css')));
  router.get('/assets/nhsuk-frontend.min.js', (_req, res) => res.type('text/javascript').sendFile(path.join(FRONTEND_DIST, 'nhsuk/nhsuk-frontend.min.js')));
  router.get('/assets/manifest.json', (_req, res) => res.sendFile(path.join(FRONTEND_DIST, 'nhsuk/assets/manifest.json')));
  router.get('/assets/app.mjs', (_req, res) => res.type('text/javascript').sendFile(path.join(__dirname, '../public/app.mjs')));
}
