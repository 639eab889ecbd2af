import type { Request, Response } from 'express';
import type { GuardDeps } from '../api/auth/middleware';
import type { Role } from '../api/auth/roles';
import type { DocumentProcess } from '../api/documents/router';
import type { LetterSource } from '../api/letters/service';
import type { Services } from '../api/services';
import type { OpenApiDocument } from './forms';

/** What each page module gets: the services, the forms' document, the guard and the renderer. */
export interface Web {
  services: Services;
  /** The processes whose cases keep documents (api/mount.ts): where each keeps them, and its kinds. */
  documents: DocumentProcess[];
  /** The processes whose cases have letters (api/mount.ts): how a case is read for them, and its letters. */
  letters: LetterSource[];
  openapi: OpenApiDocument;
  guard: GuardDeps;
  render(req: Request, res: Response, view: string, data: Record<string, unknown>, status?: number): void;
}

/** The first page each role works from. */
export const START: Record<Role, string> = {
  quality_team: '/complaints',
  commissioner: '/reviews',
  cqrg_chair: '/providers',
  visit_panel: '/visits',
  auditor: '/complaints',
  administrator: '/complaints',
};
