import { useEffect, useLayoutEffect } from 'react';
import { UI } from './texts-ui';

/** "工单 KS20261204-0001 · 桥梁": the parts given, then the app. */
export const documentTitle = (...parts: (string | null | undefined)[]): string => [...parts.filter((p): p is string => !!p), UI.titles.suffix].join(' · ');

/**
 * Sets the browser tab's title to what the page shows (an agent works in several tabs):
 * `useDocumentTitle(`工单 ${ticket.number}`)`. Empty parts are left out.
 */
export function useDocumentTitle(...parts: (string | null | undefined)[]): void {
  const title = documentTitle(...parts);
  useEffect(() => {
    document.title = title;
  }, [title]);
}

/**
 * The layout's title from the menu entry of the page. A layout effect runs before the pages'
 * effects, so a page's own `useDocumentTitle` wins.
 */
export function useSectionTitle(section: string | null | undefined): void {
  const title = documentTitle(section);
  useLayoutEffect(() => {
    document.title = title;
  }, [title]);
}
