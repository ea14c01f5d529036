import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/**
 * Renders a server-side page. Pages are Preact TSX: every interpolated value is HTML-escaped by default,
 * so user text cannot inject markup; raw HTML (e.g. a server-rendered SVG chart) must be passed on purpose
 * with `dangerouslySetInnerHTML`.
 */
export function renderDocument(page: VNode): string {
  return `<!doctype html>${renderToString(page)}`;
}
