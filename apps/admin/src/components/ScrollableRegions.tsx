import { useEffect } from 'react';
import { UI } from '../lib/texts-ui';

const SCROLLERS = '.ant-table-content, .ant-table-body';

/** Makes each horizontally scrolling table reachable by the keyboard (arrow keys scroll it). */
function mark(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>(SCROLLERS)) {
    const scrolls = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
    if (scrolls && el.tabIndex !== 0) {
      el.tabIndex = 0;
      el.setAttribute('role', 'region');
      el.setAttribute('aria-label', UI.a11y.scrollTable);
    }
  }
}

/**
 * Watches the page for tables wider than their box (all of them on a phone) and makes their
 * scroll area focusable: a keyboard user can scroll what a mouse user can (WCAG 2.1.1).
 */
export function ScrollableRegions() {
  useEffect(() => {
    let frame = 0;
    const schedule = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => mark(document));
    };
    const observer = new MutationObserver(schedule);
    observer.observe(document.body, { childList: true, subtree: true });
    window.addEventListener('resize', schedule);
    schedule();
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      window.removeEventListener('resize', schedule);
    };
  }, []);
  return null;
}
