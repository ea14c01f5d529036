import type { Request, Response } from 'express';
import type { VNode } from 'preact';
import { renderDocument } from './render';

/**
 * The pages' own Content-Security-Policy: no inline script or style at all (charts are SVG with
 * presentation attributes), forms post only to this origin.
 */
function contentSecurityPolicy(secure: boolean): string {
  const policy = [
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ];
  if (secure) policy.push('upgrade-insecure-requests');
  return policy.join('; ');
}

export function sendPage(req: Request, res: Response, page: VNode, status = 200): void {
  res.status(status);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(req.secure));
  res.send(renderDocument(page));
}

/** Post/redirect/get: a 303 sends the browser to the page with a GET. */
export function redirect(res: Response, url: string): void {
  res.redirect(303, url);
}
